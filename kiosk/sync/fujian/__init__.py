"""The Fujian gateway profile's codec (province-fujian.md): pure functions, no Qt, no threads.

- `cipher`: xmlStr, the Case XML encrypted with SM4-ECB under a key made from app_code, in Base64.
- `token`: the token call's sign and its answer.
- `case_xml`: the Case XML template and the values a rating fills it with.
- `soap`: the SOAP 1.1 envelope of a call and the Case answer inside the gateway's envelope.
- `outcome`: what an answer means for the record sent (accepted, superseded, rejected, unknown).
- `gateway`: a blocking client over requests that strings them together (token, one call, one retry).
"""
