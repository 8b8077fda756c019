"""A second Gmail client against the emulator: Debian's google-api-python-client (python3-googleapi)
built from Gmail's discovery document, over httplib2 trusting the emulator's CA.

    gmail_python_client.py DISCOVERY_JSON BASE_URL CA_CERT ACCESS_TOKEN CONTROL_URL EMAIL

Runs one session (profile, labels, list with paging, get in every format, a batch of 100 and one of 101, modify,
history after it, history from an expired id, a drafts round: create, list, get, update, send) and prints one JSON line: the counts, every
answer's keys that the discovery document's schema does not name, and values of another JSON type. Every `raw` is decoded with
Python's strict base64.urlsafe_b64decode (as lieer and Google's Python samples do); a failure
ends the run with exit code 1 and the error on stderr.
"""

import base64
import binascii
import json
import ssl
import sys
import urllib.request

import httplib2
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError


# Discovery types as JSON decodes them (int64 and uint64 fields are "string" with a format).
JSON_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict, "number": (int, float)}


def main():
    discovery_path, base_url, ca_cert, token, control_url, email = sys.argv[1:7]
    with open(discovery_path, encoding="utf-8") as f:
        doc = json.load(f)
    schemas = doc["schemas"]
    doc["rootUrl"] = base_url.rstrip("/") + "/"
    http = AuthorizedHttp(Credentials(token), http=httplib2.Http(ca_certs=ca_cert))
    gmail = build_from_document(doc, http=http)
    users = gmail.users()
    unknown, mistyped = [], []

    def check(value, schema_name, where):
        """Keys of an answer that its discovery schema does not declare (recursively)."""
        schema = schemas[schema_name]
        props = schema.get("properties", {})
        for key, item in value.items():
            spec = props.get(key)
            if spec is None:
                unknown.append(f"{where}.{key}")
                continue
            expected = JSON_TYPES.get(spec.get("type", "object"))
            if expected and not isinstance(item, expected):
                mistyped.append(f"{where}.{key}: {type(item).__name__}, schema says {spec['type']}")
            ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
            if ref and isinstance(item, dict):
                check(item, ref, f"{where}.{key}")
            elif ref and isinstance(item, list):
                for i, element in enumerate(item):
                    if isinstance(element, dict):
                        check(element, ref, f"{where}.{key}[{i}]")

    decoded = {"raw": 0, "bodyData": 0, "unpaddedBodyData": 0}

    def strict_raw(message):
        # binascii.Error("Incorrect padding") on an unpadded raw, as lieer hit it.
        data = base64.urlsafe_b64decode(message["raw"])
        if base64.urlsafe_b64encode(data).decode() != message["raw"]:
            raise ValueError(f"raw of {message['id']} is not canonical padded base64url")
        decoded["raw"] += 1
        return data

    def body_data(part):
        data = part.get("body", {}).get("data")
        if data is not None:
            if len(data) % 4:
                decoded["unpaddedBodyData"] += 1
            base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            decoded["bodyData"] += 1
        for child in part.get("parts", []):
            body_data(child)

    profile = users.getProfile(userId="me").execute()
    check(profile, "Profile", "profile")
    labels = users.labels().list(userId="me").execute()
    check(labels, "ListLabelsResponse", "labels.list")

    ids, pages = [], 0
    request = users.messages().list(userId="me", maxResults=500)
    while request is not None:
        page = request.execute()
        check(page, "ListMessagesResponse", "messages.list")
        ids.extend(m["id"] for m in page.get("messages", []))
        pages += 1
        request = users.messages().list_next(request, page)

    formats = {}
    for fmt in ("minimal", "full", "raw", "metadata"):
        for mid in ids[:5]:
            message = users.messages().get(userId="me", id=mid, format=fmt).execute()
            check(message, "Message", f"messages.get({fmt})")
            if fmt == "raw":
                strict_raw(message)
            if fmt == "full":
                body_data(message["payload"])
            formats[fmt] = sorted(set(formats.get(fmt, [])) | set(message.keys()))

    batch_answers, batch_errors = [], []

    def collect(_request_id, response, exception):
        if exception is not None:
            batch_errors.append(str(exception))
        else:
            batch_answers.append(response)

    batch = gmail.new_batch_http_request(callback=collect)
    for mid in ids[5:105]:
        batch.add(users.messages().get(userId="me", id=mid, format="raw"))
    batch.execute()
    for message in batch_answers:
        check(message, "Message", "batch messages.get(raw)")
        strict_raw(message)

    # 101 parts: Gmail refuses the whole batch (400), nothing run.
    oversized = gmail.new_batch_http_request(callback=collect)
    for mid in ids[:101]:
        oversized.add(users.messages().get(userId="me", id=mid, format="minimal"))
    try:
        oversized.execute()
        oversized_status = 200
    except HttpError as err:
        oversized_status = err.resp.status

    before = profile["historyId"]
    modified = users.messages().modify(userId="me", id=ids[0], body={"addLabelIds": ["STARRED"]}).execute()
    check(modified, "Message", "messages.modify")
    history = users.history().list(userId="me", startHistoryId=before).execute()
    check(history, "ListHistoryResponse", "history.list")
    starred = [
        h for h in history.get("history", []) for a in h.get("labelsAdded", [])
        if a["message"]["id"] == ids[0] and "STARRED" in a["labelIds"]
    ]

    expire = urllib.request.Request(f"{control_url}/google/users/{email}/history/expire", data=b"{}", method="POST",
                                    headers={"content-type": "application/json"})
    urllib.request.urlopen(expire, context=ssl.create_default_context(cafile=ca_cert)).read()
    try:
        users.history().list(userId="me", startHistoryId=before).execute()
        expired_status = 200
    except HttpError as err:
        expired_status = err.resp.status

    drafts = drafts_round(users, check, strict_raw)

    print(json.dumps({
        "profile": profile["emailAddress"],
        "messagesTotal": profile["messagesTotal"],
        "labels": len(labels["labels"]),
        "listed": len(ids),
        "pages": pages,
        "formats": formats,
        "batchAnswers": len(batch_answers),
        "batchErrors": batch_errors,
        "decoded": decoded,
        "modifyKeys": sorted(modified.keys()),
        "historyStarred": len(starred),
        "expiredHistoryStatus": expired_status,
        "unknownKeys": unknown,
        "mistyped": mistyped,
        "batch101Status": oversized_status,
        "drafts": drafts,
    }))


def draft_raw(subject, body):
    """An RFC 822 message as Gmail's Python samples encode it: urlsafe_b64encode, padded."""
    text = f"To: carol@example.com\r\nSubject: {subject}\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return base64.urlsafe_b64encode(text.encode()).decode()


def drafts_round(users, check, strict_raw):
    """users.drafts: create, list, get (full and raw), update, send; every answer checked against its schema."""
    drafts = users.drafts()
    created = drafts.create(userId="me", body={"message": {"raw": draft_raw("Python draft", "First words.")}}).execute()
    check(created, "Draft", "drafts.create")
    listing = drafts.list(userId="me", maxResults=500).execute()
    check(listing, "ListDraftsResponse", "drafts.list")
    full = drafts.get(userId="me", id=created["id"]).execute()
    check(full, "Draft", "drafts.get(full)")
    subject = next(h["value"] for h in full["message"]["payload"]["headers"] if h["name"] == "Subject")
    raw = drafts.get(userId="me", id=created["id"], format="raw").execute()
    check(raw, "Draft", "drafts.get(raw)")
    raw_body = strict_raw(raw["message"])
    updated = drafts.update(userId="me", id=created["id"],
                            body={"message": {"raw": draft_raw("Python draft, revised", "Better words.")}}).execute()
    check(updated, "Draft", "drafts.update")
    revised = drafts.get(userId="me", id=created["id"], format="metadata").execute()
    sent = drafts.send(userId="me", body={"id": created["id"]}).execute()
    check(sent, "Message", "drafts.send")
    after = drafts.list(userId="me", maxResults=500).execute()
    try:
        drafts.get(userId="me", id=created["id"]).execute()
        get_after_send = 200
    except HttpError as err:
        get_after_send = err.resp.status
    return {
        "createdLabels": created["message"]["labelIds"],
        "listed": any(d["id"] == created["id"] for d in listing.get("drafts", [])),
        "subject": subject,
        "rawHasBody": b"First words." in raw_body,
        "updateKeptId": updated["id"] == created["id"],
        "updateNewMessage": updated["message"]["id"] != created["message"]["id"],
        "updatedSubject": next(h["value"] for h in revised["message"]["payload"]["headers"] if h["name"] == "Subject"),
        "sentLabels": sent["labelIds"],
        "sentHasNewId": sent["id"] != updated["message"]["id"],
        "listedAfterSend": any(d["id"] == created["id"] for d in after.get("drafts", [])),
        "getAfterSendStatus": get_after_send,
    }


if __name__ == "__main__":
    try:
        main()
    except (binascii.Error, ValueError) as err:
        print(f"{type(err).__module__}.{type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(1)
