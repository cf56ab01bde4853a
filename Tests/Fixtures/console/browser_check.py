#!/usr/bin/env python3
"""Logs in to a running console in headless Chromium and reports what each page rendered.

usage: browser_check.py CHROMIUM BASE_URL USER PASSWORD PATH... [--screenshots DIR]
Prints one JSON object: {"login": {...}, "pages": {path: {"status", "title", "html", "pwned", ...}}}.
Talks the DevTools protocol over --remote-debugging-pipe (fds 3 and 4, NUL-terminated JSON), so it
needs only Python's standard library. Every wait is bounded; the browser is killed at the end.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, binary):
        to_child_r, self.to_child_w = os.pipe()
        self.from_child_r, from_child_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="converge-chromium-")

        def wire():
            # dup2 onto itself keeps close-on-exec (Python's pipes have it), so clear it explicitly.
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--user-data-dir=" + self.profile, "--remote-debugging-pipe", "--window-size=1400,1000",
             "about:blank"],
            # Not close_fds: it would run after `wire` and close fds 3 and 4 again.
            close_fds=False, preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True, timeout=20):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child_w, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                    return reply.get("result", {})
            import select
            ready, _, _ = select.select([self.from_child_r], [], [], max(deadline - time.time(), 0))
            if ready:
                chunk = os.read(self.from_child_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("browser closed the pipe")
                self.buffer += chunk
        raise RuntimeError(method + ": no answer in time")

    def open(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})
        deadline = time.time() + 20
        while time.time() < deadline:
            time.sleep(0.2)
            if self.evaluate("document.readyState") == "complete" and self.evaluate("location.href") != "about:blank":
                time.sleep(0.3)
                return
        raise RuntimeError("page did not load: " + url)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main():
    args = sys.argv[1:]
    shots = None
    if "--screenshots" in args:
        i = args.index("--screenshots")
        shots = args[i + 1]
        del args[i:i + 2]
    binary, base, user, password, *paths = args
    browser = Browser(binary)
    report = {"pages": {}}
    try:
        browser.open()
        browser.navigate(base + "/login")
        browser.evaluate(
            "document.querySelector('input[name=username]').value = %s;"
            "document.querySelector('input[name=password]').value = %s;"
            "document.getElementById('login').submit(); true" % (json.dumps(user), json.dumps(password)))
        deadline = time.time() + 20
        while time.time() < deadline and browser.evaluate("location.pathname") == "/login":
            time.sleep(0.2)
        time.sleep(0.5)
        report["login"] = {"path": browser.evaluate("location.pathname"),
                           "cookieVisibleToScript": "converge_session" in (browser.evaluate("document.cookie") or "")}
        for path in paths:
            browser.navigate(base + path)
            time.sleep(0.5)
            page = {
                "path": browser.evaluate("location.pathname"),
                "title": browser.evaluate("document.title"),
                "h1": browser.evaluate("(document.querySelector('h1') || {}).textContent || ''"),
                "pwned": browser.evaluate("window.__pwned === undefined ? null : String(window.__pwned)"),
                "scripts": browser.evaluate("Array.from(document.scripts).map(s => s.src)"),
                "injected": browser.evaluate("document.querySelectorAll('img[onerror], svg[onload], b').length"),
                "text": browser.evaluate("document.body.innerText"),
                "rows": browser.evaluate("document.querySelectorAll('tbody tr').length"),
                "nodes": browser.evaluate("document.querySelectorAll('svg#map a.node').length"),
                "html": browser.evaluate("document.documentElement.outerHTML"),
            }
            report["pages"][path] = page
            if shots:
                name = path.strip("/").replace("/", "_").replace("%", "").replace("?", "_") or "overview"
                browser.screenshot(os.path.join(shots, name + ".png"))
    finally:
        browser.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
