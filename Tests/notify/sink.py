"""A real SMTP server (aiosmtpd, with AUTH PLAIN) and an HTTP stub for an SMS gateway, for the
reminder tests. Each message received is appended as one JSON line to OUT/mail.jsonl or
OUT/sms.jsonl. Usage: python3 sink.py SMTP_PORT HTTP_PORT OUT; prints 'ready' once both listen."""
import email, json, os, sys, threading
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

smtp_port, http_port, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
USER, PASSWORD = b"hamlet", b"mat-khau-thu"


def append(name, record):
    with open(os.path.join(out, name), "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


def authenticate(server, session, envelope, mechanism, data):
    return AuthResult(success=mechanism == "PLAIN" and data.login == USER and data.password == PASSWORD, auth_data=data)


class Mail:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        append("mail.jsonl", {"from": envelope.mail_from, "to": envelope.rcpt_tos, "login": getattr(session.auth_data, "login", b"").decode(),
                              "subject": str(message["subject"]), "body": message.get_content()})
        return "250 OK"


class Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        append("sms.jsonl", {"path": self.path, "auth": self.headers.get("Authorization"), "body": json.loads(body)})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, *args):
        pass


controller = Controller(Mail(), hostname="127.0.0.1", port=smtp_port, authenticator=authenticate, auth_require_tls=False)
controller.start()
gateway = HTTPServer(("127.0.0.1", http_port), Gateway)
threading.Thread(target=gateway.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()  # until the test closes our input
controller.stop()
gateway.shutdown()
