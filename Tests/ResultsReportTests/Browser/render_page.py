#!/usr/bin/env python3
"""Render an HTML page in headless Chromium and say how it came out.

Usage: render_page.py PAGE.html OUT.png [WIDTH HEIGHT]

Opens the page in Debian's `chromium` (headless, no sandbox, no GPU) with a WIDTHxHEIGHT window
(default 1366x900, a common laptop screen), speaking the DevTools protocol over a pipe
(--remote-debugging-pipe: no port, nothing else needed). Reads the laid-out page's scrollWidth
and scrollHeight, saves a screenshot of the whole page (up to 12000 px tall) to OUT.png, and
prints one JSON object: scroll_width, scroll_height, viewport_width, png_width, png_height,
ink_share (share of pixels that differ from the page background) and colours (distinct colours).
Exits 1 when Chromium is missing, fails or takes longer than 60 s.
"""

import base64
import fcntl
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from PIL import Image

DEADLINE_S = 60


class Browser:
    def __init__(self, width: int, height: int, profile: str):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary is None:
            raise SystemExit("render_page.py: no chromium on PATH (make test installs Debian's chromium)")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The child's ends above 9, so that moving them to 3 and 4 never overwrites one of them.
        to_browser_r, from_browser_w = (self.above_nine(to_browser_r), self.above_nine(from_browser_w))
        # Chromium reads commands on fd 3 and writes replies and events on fd 4. Every other
        # descriptor of this process is close-on-exec (PEP 446), so only these two are inherited.
        def wire_pipes():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire_pipes, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        os.set_blocking(self.from_browser, False)
        self.buffer = b""
        self.next_id = 0
        self.started = time.monotonic()

    @staticmethod
    def above_nine(descriptor: int) -> int:
        moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD, 10)
        os.close(descriptor)
        return moved

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def wait_for(self, event: str) -> dict:
        while True:
            message = self.receive()
            if message.get("method") == event:
                return message

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() - self.started > DEADLINE_S:
                raise TimeoutError(f"chromium gave no answer within {DEADLINE_S} s")
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with status {self.process.returncode}")
            try:
                chunk = os.read(self.from_browser, 1 << 20)
            except BlockingIOError:
                time.sleep(0.02)
                continue
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        """Kills the browser with its helper processes (renderer, zygote, crash handler), which
        would otherwise go on writing into the profile directory after the main process ends."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


def ink(png: pathlib.Path) -> tuple[float, int, int, int]:
    image = Image.open(png).convert("RGB")
    background = image.getpixel((2, 2))
    counts = image.getcolors(maxcolors=image.width * image.height)
    total = image.width * image.height
    inked = total - sum(count for count, colour in counts if colour == background)
    return inked / total, len(counts), image.width, image.height


def remove_profile(profile: str) -> None:
    """Empties the browser's profile directory, retrying while killed helpers let go of it."""
    deadline = time.monotonic() + 10
    while True:
        try:
            for entry in pathlib.Path(profile).iterdir():
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 5):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    page, out = pathlib.Path(argv[1]).resolve(), pathlib.Path(argv[2])
    width, height = (int(argv[3]), int(argv[4])) if len(argv) == 5 else (1366, 900)
    # A helper process killed a moment ago may still be closing files in the profile: removing it
    # is retried briefly instead of failing the render.
    with tempfile.TemporaryDirectory(prefix="edgeprobe-chromium-", ignore_cleanup_errors=True) as profile:
        browser = Browser(width, height, profile)
        try:
            target = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
            session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
            browser.send("Page.enable", session=session)
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
            browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
            browser.wait_for("Page.loadEventFired")
            size = browser.send("Runtime.evaluate", {
                "expression": "JSON.stringify([document.documentElement.scrollWidth, document.documentElement.scrollHeight])",
                "returnByValue": True}, session=session)["result"]["value"]
            scroll_width, scroll_height = json.loads(size)
            shot = browser.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(scroll_height, 12000), "scale": 1}}, session=session)
            out.write_bytes(base64.b64decode(shot["data"]))
        except (RuntimeError, TimeoutError, StopIteration) as error:
            print(f"render_page.py: {page}: {error}", file=sys.stderr)
            return 1
        finally:
            browser.close()
            remove_profile(profile)
    ink_share, colours, png_width, png_height = ink(out)
    print(json.dumps({"scroll_width": scroll_width, "scroll_height": scroll_height, "viewport_width": width,
                      "png_width": png_width, "png_height": png_height, "ink_share": round(ink_share, 4), "colours": colours}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
