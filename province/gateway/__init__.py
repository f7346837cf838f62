"""The sandbox's double of the Fujian provincial API gateway (province-fujian.md "The sandbox's double").

Served under `/api-gateway/gateway`: `get-token`, and under `96hyvzxl/wailian/webservice/` the SOAP
operations `getSaveEvaluation`, `getEvaluationDetail` and `getSaveEvaluationUrl`. It takes what the real
clients send (either Content-Type, no SOAPAction, names matched by their local part whatever the namespace)
and answers as the Java client reads them. Apps are issued per window (`kiosk sandbox issue-app`); a rating
taken here is the province's first rating of its 办件, as `GET /projects/{p}/evaluation` shows.

The double keeps its own small SM4 and XML code: the sandbox never imports the pad.
"""
