"""The station survives a reload without a network (issue 17 item 2), in headless Chromium against the app over real
HTTP on 127.0.0.1 (a secure context, so service workers run): opened online, the station's service worker takes
over and keeps the page and its files; with the network cut, a reload shows the working station with its queue, a
typed ticket is admitted offline and queued, and when the network returns the queue is uploaded and the server has
the check-in, recorded as offline. A new release (another cache name) replaces the cache of the one before. A page
the server refuses (403: the browser's new user is not staff) is not kept and deletes the kept copy.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SERIES
from chalicelib.observability import get_logger
from chalicelib.storage import get_store
from chalicelib.web import service_worker
from devtools.devserver import serving_in_thread
from devtools.dynamodb_local import free_port
from tests.browser.site import ORGANISER, chromium, guests, open_as, set_offline, small_union, verdict_after
from tests.factories import published_event, register_all

GUESTS = [member.staff_no for member in guests("来宾", 5)]


class Relay:
    """The test's network: a TCP relay from a local port to the app that the test cuts and restores.

    Chromium's network emulation (CDP ``Network.emulateNetworkConditions``) cuts the page's requests but not those
    of its service worker (measured: with it offline, a reload still reached the app through the worker), so the
    test also cuts this relay: every open connection is closed and new ones are refused, as for a phone without a
    network. ``stall`` is the network at many venues instead: connections are taken and nothing comes back."""

    def __init__(self, target: str) -> None:
        self.target = urlsplit(target).port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._stalled = False
        self.restore()

    def restore(self) -> None:
        self._drop_open()
        self._stalled = False
        if self._listener is None:
            self._listener = socket.create_server(("127.0.0.1", self.port))
            threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        _close(self._listener)
        self._listener = None
        self._drop_open()

    def stall(self) -> None:
        self._drop_open()
        self._stalled = True

    def _drop_open(self) -> None:
        with self._lock:
            connections, self._open = self._open, set()
        for connection in connections:
            _close(connection)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                if self._stalled:  # held open, never answered
                    with self._lock:
                        self._open.add(client)
                    continue
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                return
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv()
    connection.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    _close(sink)


class _Paths(logging.Handler):
    """The paths of the requests the app served (its one JSON log line per request)."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == "request":
            self.paths.append(getattr(record, "fields", {}).get("path", ""))


@pytest.fixture
def served_paths():
    handler = _Paths()
    logger = get_logger()  # configured first: a logger with a handler already is left as it is
    logger.addHandler(handler)
    try:
        yield handler.paths
    finally:
        logger.removeHandler(handler)


def _run(driver, script, *args):
    """An asynchronous script's result: ``script`` calls ``done(value)``."""
    return driver.execute_async_script("var done = arguments[arguments.length - 1];" + script, *args)


def _controlled_and_kept(driver, release):
    """Wait until the service worker controls the page and the one cache there is, ``release``'s, holds the page
    and every file it links."""
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
    script = """
      var wanted = [location.href].concat(Array.from(
        document.querySelectorAll('script[src], link[rel=stylesheet]'), function (e) { return e.src || e.href; }));
      caches.keys().then(function (names) {
        if (names.length !== 1 || names[0] !== arguments[0]) return done(false);
        return caches.open(names[0]).then(function (cache) {
          return Promise.all(wanted.map(function (url) { return cache.match(url); }));
        }).then(function (found) { done(found.every(Boolean)); });
      });
    """
    name = f"checkin-station-{release}"
    WebDriverWait(driver, 20).until(lambda d: _run(d, script.replace("arguments[0]", repr(name))))


def _offline(driver, relay, offline):
    """Cut the network (the page's by emulation, everyone's at the relay) or bring it back."""
    if offline:
        relay.cut()
    else:
        relay.restore()
    set_offline(driver, offline)


def _station_shown(driver, queued):
    """The working station: its scan form focused, offline, with ``queued`` scans waiting."""
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.ID, "sync-state").get_attribute("data-state") == "offline"
    )
    assert driver.find_element(By.ID, "scan-form").is_displayed()
    assert driver.switch_to.active_element == driver.find_element(By.ID, "scan-input")
    assert _text(driver, "queue-count") == str(queued)
    assert f"待上传 {queued} 条" in _text(driver, "sync-state")
    assert _text(driver, "count-expected") == "5"  # the offline list, from the device


@pytest.fixture(scope="module")
def site(dynamodb):
    """A small union (the organiser and five guests, the first of them signed in too) and an event starting in a
    few minutes (its stations take check-ins now) with the guests registered; the app served over HTTP."""
    members = guests("来宾", 5)
    union = small_union(dynamodb, members, signed_in=[GUESTS[0]])
    event = published_event(
        union.organiser, days=0.005, store=union.store, owner_unit_id="cs", title_zh="离线签到讲座", capacity=10
    )
    register_all(event.event_id, members, store=union.store)
    tickets = {no: union.store.registrations.get(event.event_id, SERIES, no).ticket for no in GUESTS}
    with serving_in_thread() as base:
        yield {"base": base, "tokens": union.tokens, "event": event, "tickets": tickets}


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def _scan(driver, code):
    """Type ``code`` as a handheld scanner does: into the focused scan input, then Enter."""
    box = driver.find_element(By.ID, "scan-input")
    assert driver.switch_to.active_element == box
    box.send_keys(code + Keys.ENTER)


def test_station_reloads_offline_scans_and_uploads_when_back(site, browser, served_paths):
    driver, event, tickets = browser, site["event"], site["tickets"]
    relay = Relay(site["base"])
    base = relay.url
    codes = {no: ticket_url(base, ticket) for no, ticket in tickets.items()}
    station = f"{base}/events/{event.event_id}/checkin"
    open_as(driver, base, site["tokens"][ORGANISER], f"/events/{event.event_id}/checkin")
    WebDriverWait(driver, 10).until(lambda d: _text(d, "count-expected") == "5")
    _controlled_and_kept(driver, service_worker.release())

    _offline(driver, relay, True)
    served_paths.clear()
    _scan(driver, codes["M0002"])
    panel = verdict_after(driver, 1)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-offline")) == ("ok", "true")
    # A reload without a network (or a tab the phone discarded): the station, from the device, with its queue.
    driver.refresh()
    _station_shown(driver, queued=1)
    assert driver.current_url == station and "签到" in driver.title
    _scan(driver, codes["M0003"])
    panel = verdict_after(driver, 1)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-offline")) == ("ok", "true")
    assert "签到成功（离线）" in panel.text and "来宾3" in panel.text
    _scan(driver, codes["M0002"])  # queued before the reload: the device remembers
    assert verdict_after(driver, 2).get_attribute("data-tone") == "warn"
    assert _text(driver, "queue-count") == "2"
    store = get_store()
    assert served_paths == [] and store.check_ins.get(event.event_id, "entry", "M0002") is None

    _offline(driver, relay, False)
    WebDriverWait(driver, 30).until(lambda d: _text(d, "queue-count") == "0")
    assert "已上传 2 条离线签到，其中冲突 0 条" in _text(driver, "note")
    for staff_no in ("M0002", "M0003"):
        check_in = store.check_ins.get(event.event_id, "entry", staff_no)
        assert check_in is not None and check_in.offline and check_in.by == ORGANISER


def test_a_new_release_replaces_the_cache_of_the_one_before(site, browser, monkeypatch):
    driver, event = browser, site["event"]
    relay = Relay(site["base"])
    open_as(driver, relay.url, site["tokens"][ORGANISER], f"/events/{event.event_id}/checkin")
    before = service_worker.release()
    _controlled_and_kept(driver, before)

    # A deployment whose files changed: the worker's text names another release. The next visit finds it.
    monkeypatch.setattr(service_worker, "release", lambda: "0123456789ab")
    driver.refresh()
    _controlled_and_kept(driver, "0123456789ab")  # the release before is gone, whole
    assert before != "0123456789ab"
    worker = _run(driver, "navigator.serviceWorker.getRegistration('/events/').then(function (r) {"
                  " done([r.scope, r.active.scriptURL, !!r.waiting, !!r.installing]); })")  # fmt: skip
    assert worker == [relay.url + "/events/", relay.url + "/checkin-sw.js", False, False]


def test_a_page_refused_to_whoever_asks_now_is_forgotten(site, browser):
    """A shared phone: the organiser's station page is kept; a member who is not staff signs in on the same browser
    and opens it: the 403 is shown and the kept copy deleted, so without a network nothing of it opens any more."""
    driver, event = browser, site["event"]
    relay = Relay(site["base"])
    station = f"{relay.url}/events/{event.event_id}/checkin"
    open_as(driver, relay.url, site["tokens"][ORGANISER], f"/events/{event.event_id}/checkin")
    _controlled_and_kept(driver, service_worker.release())

    driver.add_cookie({"name": "session", "value": site["tokens"][GUESTS[0]], "path": "/"})
    driver.refresh()
    assert "您没有权限" in driver.page_source and not driver.find_elements(By.ID, "scan-input")
    kept = "caches.match(arguments[0]).then(function (found) { done(!!found); })"
    WebDriverWait(driver, 10).until(lambda d: not _run(d, kept, station))
    assert _run(driver, "caches.keys().then(done)") == [f"checkin-station-{service_worker.release()}"]
    _offline(driver, relay, True)
    driver.refresh()
    assert not driver.find_elements(By.ID, "scan-input") and "您没有权限" not in driver.page_source
    _offline(driver, relay, False)


def test_a_network_that_answers_nothing_gives_the_kept_station_after_five_seconds(site, browser):
    """At many venues the phone has a signal and nothing comes back: the kept station after PAGE_WAIT_MS (5 s)
    rather than a browser spinning until it gives up."""
    driver, event = browser, site["event"]
    relay = Relay(site["base"])
    open_as(driver, relay.url, site["tokens"][ORGANISER], f"/events/{event.event_id}/checkin")
    _controlled_and_kept(driver, service_worker.release())
    relay.stall()
    started = time.monotonic()
    driver.refresh()
    waited = time.monotonic() - started
    assert driver.find_element(By.ID, "scan-form").is_displayed() and 4.5 < waited < 9, waited
    relay.restore()
