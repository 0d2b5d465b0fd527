#!/usr/bin/env python3
"""Opens adze's HTML reports in headless Chromium (issue 17, "Tests").

Runs `adze compare` and `adze simulate` with --report on a short default
scenario, loads each report in Debian's chromium over the DevTools protocol
(--remote-debugging-pipe: no port, no websocket, Python's stdlib only) and
checks that the page loads with no console error, no exception and no
network request besides the file itself, and that every chart's <svg> has
drawn data. A full-page screenshot of each report is written next to it in
the build folder (compare-report.png, simulate-report.png) for a person to
look at.

usage: report_browser_test.py ADZE_BINARY OUTPUT_DIR
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60


class Chromium:
    """A headless Chromium driven over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, binary):
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="adze-chromium-")
        # The child sees our pipe ends as fds 3 (reads commands) and 4 (writes replies).
        # Move our ends above 4 first so the dup2s below cannot clobber them.
        self.to_chrome_r = os.dup2(self.to_chrome_r, 100, inheritable=True) if self.to_chrome_r <= 4 else self.to_chrome_r
        self.from_chrome_w = os.dup2(self.from_chrome_w, 101, inheritable=True) if self.from_chrome_w <= 4 else self.from_chrome_w
        child_r, child_w = self.to_chrome_r, self.from_chrome_w

        def setup():
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)
        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + self.profile, "about:blank"],
            preexec_fn=setup, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.buf = b""
        self.next_id = 1
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_chrome_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        mid = self.next_id
        self.next_id += 1
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + TIMEOUT_S
        while True:
            m = self._read_message(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, deadline):
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome_w)
        os.close(self.from_chrome_r)
        shutil.rmtree(self.profile, ignore_errors=True)


CHECK_CHARTS = r"""
(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => ({
    id: svg.dataset.chart,
    drawn: svg.querySelectorAll('path.series, circle.mark').length,
    title: (svg.querySelector('title') || {}).textContent || '',
    legend: svg.querySelectorAll('.legend text').length,
    width: svg.getBoundingClientRect().width,
  }));
  return JSON.stringify({charts, height: document.documentElement.scrollHeight,
                         tables: document.querySelectorAll('table.summary tbody tr').length,
                         resources: performance.getEntriesByType('resource').length});
})()
"""


def check_report(chrome, path, screenshot):
    failures = []
    target = chrome.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = chrome.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        chrome.call(domain + ".enable", session=session)
    chrome.call("Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
    url = "file://" + os.path.abspath(path)
    chrome.call("Page.navigate", {"url": url}, session=session)
    chrome.wait_event("Page.loadEventFired", time.time() + TIMEOUT_S)
    info = json.loads(chrome.call("Runtime.evaluate", {"expression": CHECK_CHARTS, "returnByValue": True},
                                  session=session)["result"]["value"])
    # Console errors, exceptions, and any request other than the page itself.
    for m in chrome.events:
        method = m.get("method")
        p = m.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            failures.append(f"console error: {p.get('args')}")
        elif method == "Runtime.exceptionThrown":
            failures.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            failures.append(f"log error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent" and p.get("request", {}).get("url") != url:
            failures.append(f"network request: {p['request']['url']}")
    if info["resources"] != 0:
        failures.append(f"{info['resources']} resources loaded by the page")
    if not info["charts"]:
        failures.append("no chart")
    for c in info["charts"]:
        if c["drawn"] == 0:
            failures.append(f"chart {c['id']} draws no data")
        if not c["title"] or c["legend"] == 0:
            failures.append(f"chart {c['id']} lacks a title or legend")
        if c["width"] < 600:
            failures.append(f"chart {c['id']} is {c['width']} px wide at a 1280 px window")
    if info["tables"] == 0:
        failures.append("no summary table rows")
    chrome.call("Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": int(info["height"]), "deviceScaleFactor": 1, "mobile": False},
                session=session)
    shot = chrome.call("Page.captureScreenshot", {"format": "png"}, session=session)
    with open(screenshot, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    chrome.events.clear()
    chrome.call("Target.closeTarget", {"targetId": target})
    print(f"{path}: {len(info['charts'])} charts, screenshot {screenshot}")
    return failures


def main():
    adze, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (scripts/install-deps.sh installs it)", file=sys.stderr)
        return 1
    compare = os.path.join(out_dir, "compare-report.html")
    simulate = os.path.join(out_dir, "simulate-report.html")
    subprocess.run([adze, "compare", "--duration", "3h", "--no-progress", "--report", compare],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([adze, "simulate", "--duration", "3h", "--no-progress", "--report", simulate],
                   check=True, stdout=subprocess.DEVNULL)
    chrome = Chromium(chromium)
    failures = []
    try:
        for html in (compare, simulate):
            failures += [f"{html}: {f}" for f in check_report(chrome, html, html[:-len(".html")] + ".png")]
    finally:
        chrome.close()
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
