"""The Fujian gateway profile (province-fujian.md): its codec, pure functions with no Qt and no threads,
and the uplink duties made of it.

- `cipher`: xmlStr, the Case XML encrypted with SM4-ECB under a key made from app_code, in Base64.
- `token`: the token call's sign and its answer.
- `case_xml`: the Case XML template and the values a rating fills it with.
- `soap`: the SOAP 1.1 envelope of a call and the Case answer inside the gateway's envelope.
- `outcome`: what an answer means for the record sent (accepted, superseded, rejected, unknown).
- `gateway`: a blocking client over requests that strings them together (token, one call, one retry).
- `delivery`: the sender's Delivery for this profile (one call per record, detail checks before a resend).
- `qr_asks`: the QR duty (the province's page for each session, to the Pad through a queued signal).
- `profile`: the uplink worker of this profile, built from its settings.
"""
