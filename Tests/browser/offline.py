"""A hamlet collaborator's report on a phone (360 px) with the connection cut, in a real browser:
1. sent offline: the start page lists this month's report; the connection is cut; a wrong value is
   refused in the browser with the server's own sentence; the report is sent, waits on the phone
   across a reload with no connection, and reaches the server when the connection returns
   (checked through the API); the commune officer finds it waiting on the start page and approves it.
2. a conflict: the commune officer edits the report while the collaborator, offline, changes it
   too; on reconnecting the collaborator sees both copies and keeps theirs; nothing is lost silently.
3. the weight of the report page on a first and a repeat visit, and its time on a slow link
   (400 kbit/s, 400 ms round trips), written to $HAMLET_SHOTS/page-weight.txt.
The connection is cut with Chromium's network emulation, on the page and on its service worker
(each is a DevTools target of its own; the page's emulation does not reach the worker).
Prints 'N passed, N failed' and exits non-zero on any failure."""
import json, sys, urllib.parse, urllib.request
import websocket
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait, Select
from journeys import BASE, SHOTS, browser, fits, wait, sign_in, run

PASSWORD = "Cong-tac-vien-2026"
OFFICER = ("xathu", "Can-bo-xa-2026")


class Link:
    """The connection of one browser: its pages and its service worker."""

    def __init__(self, driver):
        self.driver, self.sockets, self.seq = driver, {}, 0
        self.address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]

    def _send(self, ws, method, params):
        self.seq += 1
        ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while json.loads(ws.recv()).get("id") != self.seq:
            pass

    def set(self, offline, latency=0, down=-1, up=-1):
        params = {"offline": offline, "latency": latency, "downloadThroughput": down, "uploadThroughput": up}
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", params)
        targets = json.load(urllib.request.urlopen(f"http://{self.address}/json/list"))
        for t in targets:
            if t["type"] != "service_worker":
                continue
            if t["id"] not in self.sockets:
                self.sockets[t["id"]] = websocket.create_connection(t["webSocketDebuggerUrl"], suppress_origin=True)
                self._send(self.sockets[t["id"]], "Network.enable", {})
            self._send(self.sockets[t["id"]], "Network.emulateNetworkConditions", params)

    def cut(self):
        """Cuts the link, and waits until the page itself finds it cut: under load the emulation
        can take effect after the command returns, and a submission in that moment would really
        reach the server (CI saw it once)."""
        def down(driver):
            self.set(True)
            return self.driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "if (navigator.onLine !== false) return done(false);"
                "fetch('/favicon.svg?probe=' + Date.now(), {cache: 'no-store'}).then(function () { done(false); }, function () { done(true); });")
        until(self.driver, down, what="the page sees no connection")

    def restore(self):
        self.set(False)


def api(user, password, path):
    """A GET through the API with the user's own token: what the server holds."""
    request = urllib.request.Request(BASE + "/api/v1/auth/token", data=json.dumps({"username": user, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    return json.load(urllib.request.urlopen(urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token})))


def value(report, element):
    return next((v["value"] for v in report["values"] if v["dataElement"] == element), None)


def until(driver, check, seconds=30, what="condition"):
    WebDriverWait(driver, seconds).until(lambda d: check(d), message=what)


def kept(driver, url):
    """Whether the service worker holds the page, to open it with no connection."""
    return driver.execute_async_script(
        "var url = arguments[0], done = arguments[arguments.length - 1];"
        "caches.open('hamlet-pages').then(function (c) { return c.match(url); }).then(function (r) { done(!!r); }, function () { done(false); });", url)


def open_report(driver, user):
    """Signs the collaborator in and opens this month's report from the start page, once the
    service worker has kept it."""
    sign_in(driver, user, PASSWORD)
    link = wait(driver, "#work li[data-kind=report] a")
    url = link.get_attribute("href")
    until(driver, lambda d: kept(d, url), what="the report form kept for offline use")
    link.click()
    wait(driver, "#report")
    until(driver, lambda d: d.execute_script("return !!navigator.serviceWorker.controller"), what="the page under the service worker")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    return url, query["unit"][0], query["period"][0]


def fill(driver, values):
    for name, text in values.items():
        field = driver.find_element(By.ID, "f-" + name)
        if field.tag_name == "select":
            Select(field).select_by_visible_text(text)
        else:
            field.clear()
            field.send_keys(text)


def state(driver):
    box = driver.find_element(By.ID, "offline-state")
    return box.text if box.is_displayed() else ""


def offline_submit(phone, officer):
    url, unit, period = open_report(phone, "ctvthu")
    link = Link(phone)
    try:
        shown = queued_offline(phone, link, unit, period)
    finally:
        link.restore()  # a failure while cut must not leave the next journey offline
    until(phone, lambda d: "notice=report_submitted" in d.current_url, what="sent when the connection returned")
    approved_after(phone, officer, unit, period, shown)


def queued_offline(phone, link, unit, period):
    """Refused in the browser, then sent with no connection: it waits on the phone, across a
    reload, and nothing reaches the server. Returns the browser's refusal."""
    link.cut()
    fill(phone, {"HO_THAM": "-3", "TU_VAN_KHHGD.NAM": "2", "TU_VAN_KHHGD.NU": "3", "TRE_CAN_BV": "0", "GIAO_BAN": "Có"})
    phone.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    error = wait(phone, "#e-HO_THAM")
    shown = error.text
    assert shown == "Số hộ gia đình được thăm, tư vấn: Số đếm không được âm.", shown
    assert phone.find_element(By.ID, "f-HO_THAM").get_attribute("aria-invalid") == "true"
    phone.save_screenshot(f"{SHOTS}/offline-refused.png")
    fill(phone, {"HO_THAM": "12"})
    phone.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    until(phone, lambda d: "chờ có mạng" in state(d), what="queued on the phone")
    assert not phone.find_elements(By.ID, "e-HO_THAM"), "the corrected value is no longer marked"
    # A reload with no connection: the page comes from the phone, the report still waits.
    link.cut()  # again: a service worker started since then is a target of its own
    phone.refresh()
    wait(phone, "#report")
    until(phone, lambda d: "chờ có mạng" in state(d), what="still queued after a reload offline")
    assert phone.find_element(By.ID, "f-HO_THAM").get_attribute("value") == "12"
    fits(phone, "report page offline")
    phone.save_screenshot(f"{SHOTS}/offline-queued.png")
    report = api("ctvthu", PASSWORD, f"/api/v1/reports/BC_CTV_THANG/{unit}/{period}")
    assert report["status"] == "none", f"nothing reached the server while offline: {report['status']}"
    return shown


def approved_after(phone, officer, unit, period, shown):
    """Once sent: the server holds it, says the browser's sentence too, and the commune officer
    approves it from the start page."""
    report = api("ctvthu", PASSWORD, f"/api/v1/reports/BC_CTV_THANG/{unit}/{period}")
    assert report["status"] == "submitted" and value(report, "HO_THAM") == "12", report
    # The server says the same sentence the phone said.
    answer = phone.execute_async_script(
        "var done = arguments[arguments.length - 1], b = new URLSearchParams();"
        "b.set('_csrf', document.querySelector('input[name=_csrf]').value); b.set('set', 'BC_CTV_THANG'); b.set('unit', arguments[0]);"
        "b.set('period', arguments[1]); b.set('version', '1'); b.set('action', 'save'); b.set('v:HO_THAM', '-3');"
        "fetch('/reports/entry', {method: 'POST', body: b, headers: {Accept: 'application/json'}}).then(function (r) { return r.json(); }).then(done);",
        unit, period)
    assert answer["error"]["message"] == shown, (answer, shown)
    # The commune officer: waiting on the start page, approved after a look.
    sign_in(officer, *OFFICER)
    wait(officer, "#work li[data-kind=approve] a").click()
    box = wait(officer, f"#waiting input[value='BC_CTV_THANG|{unit}|{period}']")
    officer.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    officer.find_element(By.CSS_SELECTOR, "form[action='/reports/approve-many'] button[type=submit]").click()
    wait(officer, "p.notice")
    report = api(*OFFICER, f"/api/v1/reports/BC_CTV_THANG/{unit}/{period}")
    assert report["status"] == "approved", report["status"]


def conflict(phone, officer):
    url, unit, period = open_report(phone, "ctvthu2")
    fill(phone, {"HO_THAM": "5", "GIAO_BAN": "Có"})
    phone.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    until(phone, lambda d: "notice=report_saved" in d.current_url, what="the draft saved online")
    wait(phone, "#report")
    link = Link(phone)
    try:
        changed_on_both_sides(phone, officer, link, url)
    finally:
        link.restore()
    until(phone, lambda d: d.find_elements(By.ID, "choose"), what="both copies shown")
    chosen(phone, officer, unit, period)


def changed_on_both_sides(phone, officer, link, url):
    link.cut()
    fill(phone, {"HO_THAM": "15"})
    phone.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    until(phone, lambda d: "chờ có mạng" in state(d), what="queued on the phone")
    # Meanwhile the commune officer corrects the same report.
    sign_in(officer, *OFFICER)
    officer.get(url)
    fill(officer, {"HO_THAM": "20"})
    officer.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    until(officer, lambda d: "notice=report_saved" in d.current_url, what="the officer's change saved")


def chosen(phone, officer, unit, period):
    note = phone.find_element(By.CSS_SELECTOR, "#f-HO_THAM ~ small.conflict")
    assert note.text == "Trên máy chủ: 20", note.text
    assert phone.find_element(By.ID, "f-HO_THAM").get_attribute("value") == "15"
    report = api(*OFFICER, f"/api/v1/reports/BC_CTV_THANG/{unit}/{period}")
    assert value(report, "HO_THAM") == "20" and report["status"] == "draft", "nothing overwritten before the choice"
    fits(phone, "conflict view")
    phone.save_screenshot(f"{SHOTS}/offline-conflict.png")
    phone.find_element(By.ID, "keep-mine").click()
    until(phone, lambda d: "notice=report_submitted" in d.current_url, what="the chosen copy sent")
    report = api(*OFFICER, f"/api/v1/reports/BC_CTV_THANG/{unit}/{period}")
    assert value(report, "HO_THAM") == "15" and report["status"] == "submitted", report


def weight(phone):
    """Bytes over the wire for the report page (HTML, CSS and JS, compressed), with nothing kept,
    then again; and the time until it can be used on a slow link. The service worker is bypassed
    so every byte is the page's own request."""
    url, unit, period = open_report(phone, "ctvthu3")
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})
    phone.execute_cdp_cmd("Network.clearBrowserCache", {})
    Link(phone).set(False, latency=400, down=50000, up=50000)
    lines = []
    for visit in ("first", "repeat"):
        phone.get(url)
        wait(phone, "#report")
        numbers = phone.execute_script(
            "var n = performance.getEntriesByType('navigation')[0], r = performance.getEntriesByType('resource');"
            "return {bytes: n.transferSize + r.reduce(function (s, e) { return s + e.transferSize; }, 0), html: n.transferSize,"
            "ready: Math.round(n.domContentLoadedEventEnd), files: r.map(function (e) { return e.name.split('/').pop() + ' ' + e.transferSize; })};")
        lines.append(f"{visit} visit: {numbers['bytes']} bytes (HTML {numbers['html']}; {', '.join(numbers['files'])}), usable at {numbers['ready']} ms")
        budget = 30 * 1024 if visit == "first" else 5 * 1024
        assert numbers["bytes"] <= budget, lines[-1]
        assert numbers["ready"] <= 3000, lines[-1]
    Link(phone).set(False)
    with open(f"{SHOTS}/page-weight.txt", "w") as out:
        out.write("Report entry page, 400 kbit/s, 400 ms round trips (Chromium emulation)\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


def fresh_weight():
    phone = browser(360, 800)
    try:
        weight(phone)
    finally:
        phone.quit()


def main():
    phone, officer = browser(360, 800), browser(360, 800)
    try:
        passed, failed = run((lambda: offline_submit(phone, officer), lambda: conflict(phone, officer), fresh_weight), phone, "offline")
    finally:
        phone.quit()
        officer.quit()
    print(f"offline: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
