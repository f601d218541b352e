"""index.html: self-contained, every day and talk on it, readable on a phone.

The phone test opens the page in headless Chromium (Debian's `chromium` package) emulating
a 390 x 844 phone, through the DevTools protocol over a pipe (no port, no network), and reads
element boxes back; it skips when Chromium is not installed.
"""

from __future__ import annotations

import base64
import fcntl
import html
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from booklet.dates import long_date
from booklet.export.web import render_web
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}

# Evaluated in the page once loaded: boxes of day and talk titles, then with every abstract
# opened, whether anything makes the page wider than the screen.
PROBE = """(() => {
  function box(el) {
    const b = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {text: el.textContent.trim().replace(/\\s+/g, " "), left: b.left, right: b.right,
            width: b.width, height: b.height, fontSize: parseFloat(s.fontSize),
            shown: s.visibility !== "hidden" && s.display !== "none",
            clipped: el.scrollWidth > el.clientWidth + 1};
  }
  const r = {innerWidth: window.innerWidth,
             scrollWidth: document.documentElement.scrollWidth,
             titles: Array.from(document.querySelectorAll(".item-title"), box),
             days: Array.from(document.querySelectorAll(".day-date"), box)};
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  r.openScrollWidth = document.documentElement.scrollWidth;
  r.abstracts = Array.from(document.querySelectorAll(".abstract-text"), box);
  return r;
})()"""


class Chromium:
    """Headless Chromium driven by the DevTools protocol over fds 3 and 4 (a pipe)."""

    def __init__(self, profile: Path):
        to_chrome, self.commands = os.pipe()
        self.replies, from_chrome = os.pipe()

        def wire_pipes():  # in the child, before exec: the protocol's fixed descriptors
            # Move both ends out of the way first: either may already be 3 or 4.
            ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome, from_chrome)]
            os.dup2(ends[0], 3)  # inheritable, unlike the pipe's own descriptors
            os.dup2(ends[1], 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False,
        )  # fmt: skip
        os.close(to_chrome)
        os.close(from_chrome)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def receive(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.replies], [], [], max(0, deadline - time.time()))
            chunk = os.read(self.replies, 1 << 16) if ready else b""
            if not chunk:
                raise TimeoutError("Chromium did not answer")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.time() + 30
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply["error"]
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        deadline = time.time() + 30
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self.receive(deadline))

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.commands)
            os.close(self.replies)


def phone_layout(page: str, tmp_path: Path) -> dict:
    """Open `page` on an emulated phone; the PROBE's measurements (and a screenshot beside)."""
    path = tmp_path / "index.html"
    path.write_text(page, encoding="utf-8")
    browser = Chromium(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        session = session["sessionId"]
        browser.send("Emulation.setDeviceMetricsOverride", PHONE, session)
        browser.send("Page.enable", session=session)
        browser.send("Page.navigate", {"url": path.as_uri()}, session)
        browser.wait_for("Page.loadEventFired")
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
        (tmp_path / "phone.png").write_bytes(base64.b64decode(shot["data"]))
        result = browser.send(
            "Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, session
        )
        return result["result"]["value"]
    finally:
        browser.close()


@pytest.fixture(scope="module")
def default():
    return load_programme(CONTENT).programme


@pytest.fixture(scope="module")
def multiroom():
    return load_programme(FIXTURES / "multiroom").programme


def texts(page: str, css_class: str) -> list[str]:
    pattern = rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>'
    return [html.unescape(re.sub(r"<[^>]+>", "", m[2])) for m in re.finditer(pattern, page, re.S)]


def test_every_day_and_item_is_on_the_page(default):
    page = render_web(default, CONTENT)
    assert texts(page, "day-date") == [long_date(d.date) for d in default.days]
    assert texts(page, "item-title") == [i.display_title for i in default.items]
    assert page.count('<article class="item') == 48
    assert 'id="item-20250127-1000-all-2"' in page  # deep links by item id
    assert "All times are local time (Europe/Paris)." in page
    assert "Main room" not in page  # one room: naming it on every item is noise
    assert "<h3>Wifi</h3>" not in page and "Daily rhythm on school days" in page


def test_self_contained(default):
    page = render_web(default, CONTENT)
    assert "<style>" in page and ".item-title" in page  # the CSS is inline
    for external in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url("):
        assert external not in page, external
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith(("#", "https://", "http://", "mailto:")) for h in hrefs)


def test_rooms_and_markdown(multiroom, content_factory):
    page = render_web(multiroom, FIXTURES / "multiroom")
    assert '<span class="item-room">Hall A, Hall B</span>' in page
    assert "Alan talks in <strong>Hall A</strong>." in page
    assert page.count('class="row parallel"') == 2  # 09:30 (three rooms) and 11:00 (two)
    content = content_factory(
        programme="""\
        days:
          - date: 2025-03-01
            items:
              - start: "09:00"
                title: Safe
                speakers: [ada]
                abstract: "<script>alert(1)</script> and *emphasis*"
        """
    )
    page = render_web(load_programme(content).programme, content)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and <em>emphasis</em>" in page


def test_event_overrides_the_stylesheet(content_factory):
    content = content_factory(files={"styles/web.css": "body { color: #123456; }"})
    page = render_web(load_programme(content).programme, content)
    assert "color: #123456" in page and ".item-title" not in page


@pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)"
)
@pytest.mark.parametrize("name", ["default", "multiroom"])
def test_phone_layout_in_chromium(name, request, tmp_path):
    programme = request.getfixturevalue(name)
    folder = CONTENT if name == "default" else FIXTURES / "multiroom"
    result = phone_layout(render_web(programme, folder), tmp_path)
    width = result["innerWidth"]
    assert width == PHONE["width"]  # the page's viewport follows the phone's width
    assert result["scrollWidth"] <= width, "the page scrolls sideways on a phone"
    assert result["openScrollWidth"] <= width, "an opened abstract is wider than the phone"
    assert [d["text"] for d in result["days"]] == [long_date(d.date) for d in programme.days]
    assert [t["text"] for t in result["titles"]] == [i.display_title for i in programme.items]
    for element in result["days"] + result["titles"] + result["abstracts"]:
        assert element["shown"] and element["width"] > 0 and element["height"] > 0, element
        assert element["left"] >= 0 and element["right"] <= width, element
        assert not element["clipped"], element
    assert min(t["fontSize"] for t in result["titles"]) >= 16  # readable without zooming


ONE_ROOM_EVENT = """\
title: One Room
timezone: Europe/Paris
rooms:
  - {id: main, name: Main room}
"""


def test_speakers_read_without_a_space_before_commas_and_overlaps_are_not_parallel(
    content_factory,
):
    """The page as a browser draws it (WeasyPrint reads the same CSS): "Ada Lovelace,
    Alan Turing"; and two items of a one-room event that start together are one after the
    other, not side by side as parallel sessions."""
    import io

    import pypdf
    import weasyprint

    content = content_factory(
        event=ONE_ROOM_EVENT,
        programme="""\
        days:
          - date: 2025-03-01
            items:
              - {start: "09:00", end: "10:00", title: Pair, speakers: [ada, alan]}
              - {start: "10:00", title: Opening words, speakers: [ada]}
              - {start: "10:00", end: "11:00", title: First talk, speakers: [alan]}
        """,
    )
    page = render_web(load_programme(content).programme, content)
    assert "parallel" not in re.findall(r'<li class="row[^"]*"', page)[1]
    pdf = weasyprint.HTML(string=page).write_pdf()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Ada Lovelace, Alan Turing" in re.sub(r"\s+", " ", text)
