#!/usr/bin/env python3
"""Drive every operation of FieldBridge's Web Connector endpoint with zeep, a mature SOAP
client, from the endpoint's own WSDL, and check the shape of every answer.

Usage: check_operations.py URL PASSWORD [USER]
  URL       the endpoint, e.g. http://localhost:8711/qbwc (the WSDL is read from URL?wsdl)
  PASSWORD  the Web Connector password (`fieldbridge password`)
  USER      the .qwc UserName (default: fieldbridge)

Exit status 0 when every check passes, 1 otherwise; a summary is printed either way.
The endpoint must have work to do (authenticate must open a session), and no other session
may be active. One wrong password is tried on purpose (below the throttle's limit).
"""

import sys

import requests
import zeep
from zeep.exceptions import Fault

results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))
    print(("PASS " if condition else "FAIL ") + name + (f"  ({detail})" if detail else ""))
    return condition


def text(value):
    """zeep gives None for an empty string element; the protocol means ""."""
    return "" if value is None else value


def strings(value):
    """An ArrayOfString answer as a Python list of str."""
    if value is None:
        return []
    items = getattr(value, "string", None)
    if items is None and isinstance(value, dict):
        items = value.get("string")
    if items is None:
        items = value
    return [text(s) for s in items]


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    url, password = argv[1], argv[2]
    user = argv[3] if len(argv) == 4 else "fieldbridge"

    try:
        client = zeep.Client(url + "?wsdl")
    except Exception as exc:  # the WSDL itself is the first check
        check("WSDL loads", False, repr(exc))
        return summary()
    check("WSDL loads", True, url + "?wsdl")
    service = client.service
    declared = set()
    for svc in client.wsdl.services.values():
        for port in svc.ports.values():
            declared |= set(port.binding._operations.keys())
    expected_ops = {
        "serverVersion", "clientVersion", "authenticate", "sendRequestXML",
        "receiveResponseXML", "getLastError", "connectionError", "closeConnection",
        "getInteractiveURL", "interactiveDone", "interactiveRejected",
    }
    check("WSDL declares every operation", declared == expected_ops,
          f"missing {sorted(expected_ops - declared)}, extra {sorted(declared - expected_ops)}")

    v = service.serverVersion()
    check("serverVersion answers a version string", isinstance(v, str) and v.startswith("FieldBridge"), repr(v))
    v = service.clientVersion(strVersion="2.3.0.215")
    check("clientVersion answers \"\" (go on)", text(v) == "", repr(v))

    bad = strings(service.authenticate(strUserName=user, strPassword=password + "-wrong"))
    check("authenticate with a wrong password answers [ticket, nvu]", len(bad) == 2 and bad[1] == "nvu", repr(bad))

    auth = strings(service.authenticate(strUserName=user, strPassword=password))
    ok = check("authenticate answers [ticket, company file]",
               len(auth) >= 2 and len(auth[0]) >= 32 and auth[1] not in ("nvu", "busy", "none"),
               repr(auth[1:]) if len(auth) > 1 else repr(auth))
    if not ok:
        return summary()
    ticket = auth[0]

    # The Web Connector never runs two sessions of one application at once: a new
    # authenticate while the first session is idle means the first one is over.
    again = strings(service.authenticate(strUserName=user, strPassword=password))
    check("a new authenticate supersedes an idle session",
          len(again) >= 2 and again[1] not in ("nvu", "busy") and again[0] != ticket, repr(again[1:]))
    stale = service.sendRequestXML(ticket=ticket, strHCPResponse="", strCompanyFileName="",
                                   qbXMLCountry="US", qbXMLMajorVers=13, qbXMLMinorVers=0)
    check("the superseded ticket gets no work", text(stale) == "", repr(stale))
    ticket = again[0]

    req = service.sendRequestXML(ticket=ticket, strHCPResponse="<QBXML/>", strCompanyFileName="C:\\Company.qbw",
                                 qbXMLCountry="US", qbXMLMajorVers=13, qbXMLMinorVers=0)
    check("sendRequestXML answers qbXML text (or \"\")", isinstance(text(req), str), repr(text(req)[:60]))
    pct = service.receiveResponseXML(ticket=ticket, response="<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs/></QBXML>",
                                     hresult="", message="")
    check("receiveResponseXML answers an int percent <= 100", isinstance(pct, int) and pct <= 100, repr(pct))
    err = service.getLastError(ticket=ticket)
    check("getLastError answers text", isinstance(text(err), str), repr(err))
    ce = service.connectionError(ticket=ticket, hresult="0x80040408", message="Could not start QuickBooks.")
    check("connectionError answers done or a path", isinstance(text(ce), str) and text(ce) != "", repr(ce))
    url_answer = service.getInteractiveURL(wcTicket=ticket, sessionID="1")
    check("getInteractiveURL answers \"\" (no interactive mode)", text(url_answer) == "", repr(url_answer))
    done = service.interactiveDone(wcTicket=ticket)
    check("interactiveDone answers Done", text(done) == "Done", repr(done))
    rej = service.interactiveRejected(wcTicket=ticket, reason="The user declined.")
    check("interactiveRejected answers a sentence", len(text(rej)) > 0, repr(rej))
    closed = service.closeConnection(ticket=ticket)
    check("closeConnection answers status text", len(text(closed)) > 0, repr(closed))

    after = service.sendRequestXML(ticket=ticket, strHCPResponse="", strCompanyFileName="", qbXMLCountry="US",
                                   qbXMLMajorVers=13, qbXMLMinorVers=0)
    check("a closed ticket gets \"\" from sendRequestXML", text(after) == "", repr(after))
    after_pct = service.receiveResponseXML(ticket=ticket, response="", hresult="", message="")
    check("a closed ticket gets -1 from receiveResponseXML", after_pct == -1, repr(after_pct))
    expl = service.getLastError(ticket=ticket)
    check("a closed ticket gets an explanation from getLastError", "Web Connector" in text(expl), repr(expl))

    # A malformed request: a SOAP Fault with HTTP 500, and the server keeps serving.
    raw = requests.post(url, data=b"<not-xml", headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=30)
    check("malformed XML gets HTTP 500 with a SOAP Fault", raw.status_code == 500 and "faultstring" in raw.text,
          f"HTTP {raw.status_code}")
    try:
        client.transport.session.post(url, data=b"<x/>", timeout=30)
        v2 = service.serverVersion()
        check("the server still answers after a fault", isinstance(v2, str) and v2 != "", repr(v2))
    except Fault as exc:
        check("the server still answers after a fault", False, repr(exc))

    return summary()


def summary():
    failed = [name for name, ok, _ in results if not ok]
    print(f"\nzeep: {len(results) - len(failed)} passed, {len(failed)} failed")
    for name in failed:
        print(f"  failed: {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as exc:  # any unexpected error is a failure, not a traceback-only exit
        print(f"FAIL unexpected error: {exc!r}")
        summary()
        sys.exit(1)
