/**
 * CounterBridge: the rating pad's counter bridge, for a case system's web page.
 *
 * Served by every pad at GET /api/v1/client.js. No dependencies; plain ES2017 (async/await), so it runs in
 * the older Chromium-based browsers that government PCs often keep. Load it with crossorigin="anonymous",
 * so that the pad can check the page's origin against bridge.allowed_origins:
 *
 *   <script src="http://127.0.0.1:8765/api/v1/client.js" crossorigin="anonymous"></script>
 *   const pad = CounterBridge.connect({url: "http://127.0.0.1:8765", token: tokenFromYourServer});
 *   const opened = await pad.openSession({projectNo: "…", acceptTime: "…", applicant: {…}});
 *   const outcome = await pad.waitForOutcome(opened.sessionId);   // {state: "rated", channel: "5", …}
 *
 * The token travels in the Authorization header only: never in a URL, never in a message, never logged.
 * Nothing here writes to the console. The level a citizen chose is never returned by the pad.
 */
(function (root) {
  "use strict";

  /** The states of a session; every state but "awaiting" is an outcome. */
  var STATES = ["awaiting", "rated", "timed_out", "cancelled", "defaulted"];
  /** The longest hold the pad grants a long-poll, in seconds (?wait=N, N ≤ 60). */
  var MAX_WAIT_S = 60;

  /**
   * An answer of the pad that is not a success, or no answer at all.
   *
   * code: the pad's error code ("busy", "already_rated", "invalid_field", …), or "unreachable" when no answer
   * could be read (the pad is off, the address is wrong, or the browser refused: an origin the pad does not
   * list, a local-network permission not granted). status: the HTTP status, 0 for "unreachable". field: the
   * field named by "invalid_field". body: the whole answer; for "already_rated" it carries the earlier
   * session's sessionId and state.
   */
  class BridgeError extends Error {
    /**
     * @param {number} status
     * @param {string} code
     * @param {string} message
     * @param {Object} [body]
     */
    constructor(status, code, message, body) {
      super(message);
      this.name = "BridgeError";
      this.status = status;
      this.code = code;
      this.body = body || null;
      this.field = body && body.error && body.error.field ? body.error.field : null;
    }
  }

  /**
   * @param {string} url the pad's bridge, e.g. "http://127.0.0.1:8765" (no path).
   * @param {string} token the bridge token.
   * @param {Object} options
   * @returns {function(string, string, Object=, number=): Promise<Object>}
   */
  function requester(url, token, options) {
    var base = String(url).replace(/\/+$/, "") + "/api/v1";
    return async function request(method, path, body, timeoutMs) {
      var init = {
        method: method,
        headers: {Authorization: "Bearer " + token},
        cache: "no-store",
        credentials: "omit",
        mode: "cors",
      };
      if (body !== undefined) {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      // Chromium's Local Network Access: a page may say which address space it means to reach
      // ("loopback" or "local"), as it must when a host name stands for a local address.
      if (options.addressSpace) init.targetAddressSpace = options.addressSpace;
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      var timer = null;
      if (controller) {
        init.signal = controller.signal;
        timer = setTimeout(function () { controller.abort(); }, timeoutMs || options.timeoutMs);
      }
      var response;
      try {
        response = await fetch(base + path, init);
      } catch (failure) {
        var why = failure && failure.name === "AbortError" ? "the pad did not answer in time" : "no answer from the pad";
        throw new BridgeError(0, "unreachable", why);
      } finally {
        if (timer !== null) clearTimeout(timer);
      }
      var answer = null;
      try {
        answer = await response.json();
      } catch (unreadable) {
        answer = null;
      }
      if (response.ok) return answer;
      var error = answer && answer.error ? answer.error : {};
      throw new BridgeError(
        response.status, error.code || "http_" + response.status, error.message || response.statusText, answer
      );
    };
  }

  /**
   * A pad's bridge.
   *
   * @param {Object} options
   * @param {string} options.url the bridge's address, e.g. "http://127.0.0.1:8765".
   * @param {string} options.token the bridge token (DIR/bridge.token on the pad).
   * @param {number} [options.timeoutMs=15000] how long a call other than a long-poll may take.
   * @param {string} [options.addressSpace] "loopback" or "local": passed to fetch as targetAddressSpace.
   * @returns {Bridge}
   */
  function connect(options) {
    if (!options || !options.url || !options.token) throw new TypeError("connect() needs {url, token}");
    var settings = {timeoutMs: options.timeoutMs || 15000, addressSpace: options.addressSpace || null};
    // The token lives only in this closure: it is no property of the object a page might log or serialise.
    var request = requester(options.url, options.token, settings);
    return new Bridge(request, settings);
  }

  /** The calls of the bridge. Made by connect(). */
  class Bridge {
    constructor(request, settings) {
      this._request = request;
      this._settings = settings;
    }

    /**
     * Asks the citizen for a rating of a finished case (POST /sessions).
     *
     * @param {Object} caseData projectNo, acceptTime, applicant (required); finishTime, taskCode, taskName,
     *   staffId (optional), as counter-bridge-api.md "Sessions" describes them.
     * @param {Object} [options]
     * @param {boolean} [options.replace=false] end the session that is awaiting a rating now, instead of a
     *   BridgeError "busy".
     * @returns {Promise<{sessionId: string, state: string, qrUrl: ?string}>}
     * @throws {BridgeError} "busy", "already_rated" (error.body.sessionId and .state: the earlier session),
     *   "invalid_field" (error.field), …
     */
    openSession(caseData, options) {
      var body = Object.assign({}, caseData);
      if (options && options.replace) body.replace = true;
      return this._request("POST", "/sessions", body);
    }

    /**
     * A session's state now (GET /sessions/{id}): never the level, never the applicant.
     * @param {string} sessionId
     * @returns {Promise<{sessionId: string, projectNo: string, state: string, channel: (string|undefined),
     *   ratedAt: (string|undefined)}>}
     */
    getSession(sessionId) {
      return this._request("GET", "/sessions/" + encodeURIComponent(sessionId));
    }

    /**
     * Waits until the session is no longer "awaiting" and resolves with it: "rated", "timed_out" or
     * "cancelled". Long-polls with ?wait, so the answer comes the moment the citizen presses.
     *
     * @param {string} sessionId
     * @param {Object} [options]
     * @param {number} [options.waitS=60] seconds the pad holds each poll (1-60).
     * @param {function(Object)} [options.onPoll] called with the session after each poll.
     * @returns {Promise<Object>} the session.
     */
    async waitForOutcome(sessionId, options) {
      var waitS = Math.max(1, Math.min(MAX_WAIT_S, (options && options.waitS) || MAX_WAIT_S));
      var path = "/sessions/" + encodeURIComponent(sessionId) + "?wait=" + waitS;
      for (;;) {
        var session = await this._request("GET", path, undefined, (waitS + 15) * 1000);
        if (options && options.onPoll) options.onPoll(session);
        if (session.state !== "awaiting") return session;
      }
    }

    /**
     * Ends an awaiting session as "cancelled" (DELETE /sessions/{id}).
     * @param {string} sessionId
     * @returns {Promise<Object>} the session.
     * @throws {BridgeError} "not_awaiting" when it was no longer awaiting.
     */
    cancel(sessionId) {
      return this._request("DELETE", "/sessions/" + encodeURIComponent(sessionId));
    }

    /**
     * A staff member signs in at the window (POST /staff/sign-in).
     * @param {string} staffId
     * @returns {Promise<{staffId: string}>}
     */
    signIn(staffId) {
      return this._request("POST", "/staff/sign-in", {staffId: staffId});
    }

    /**
     * The staff member leaves: the pad shows 暂停服务 (POST /staff/sign-out).
     * @returns {Promise<{staffId: null}>}
     */
    signOut() {
      return this._request("POST", "/staff/sign-out");
    }

    /**
     * The pad's state (GET /status): device, staff signed in, current session, evaluator, uplink, alerts.
     * @returns {Promise<Object>}
     */
    status() {
      return this._request("GET", "/status");
    }
  }

  var api = {connect: connect, Bridge: Bridge, BridgeError: BridgeError, STATES: STATES, MAX_WAIT_S: MAX_WAIT_S};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.CounterBridge = api;
})(typeof self !== "undefined" ? self : this);
