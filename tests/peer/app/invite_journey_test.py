#!/usr/bin/env python3
"""A repair invitation and a reminder, through real windows (issue 17).

Two real `attune` window processes, Alex and Sam, each with its own data
folder, on 127.0.0.1 only, under the virtual display this is started in
(xvfb-run). They paired once (headless, with the code) and nothing else:
  1. Alex writes an invitation in the window while Sam's isn't running.
  2. Sam's window comes up later and shows it, once; Sam answers with one
     of the offered times. Alex's window hears the answer. No `attune
     invite serve` runs: the windows carry the letters themselves, and they
     go through a relay here that records every byte (no partner beacons,
     so the relay is the only way): none of the words are on it.
  3. Both windows open again with the reminders' clock moved past the
     agreed time (the hidden --clock-offset-ms): both show the reminder.
  4. "Start now" in both (found on loopback) brings them into one session
     with no code and no "Let in": Alex's lobby waits for Sam by name and
     shows no code (a coach's code waits behind "Pair someone else").
Every window is saved as <moment>-<who>.png at every moment; what each
means is read from the JSON lines of what it drew (--report-frames).

Usage: invite_journey_test.py ATTUNE OUT_DIR
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from window_driver import DrivenWindow

ATTUNE, OUT = sys.argv[1], sys.argv[2]
WAIT = 30.0  # Seconds for any one thing to happen; generous for a loaded machine.
HOUR_MS = 3600 * 1000
DAY = "the picnic on Saturday"
WORDS = "I miss our quiet evenings"
WORK = tempfile.mkdtemp(prefix="attune-invite-journey-")
windows = []


def fail(message):
    print("FAIL: " + message)
    for w in list(windows):
        w.stop()
        sys.stdout.write(open(w.log_path).read()[-3000:])
    shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """127.0.0.1:port -> 127.0.0.1:target, keeping every byte either way."""

    def __init__(self, target):
        self.target = target
        self.seen = bytearray()
        self.links = 0
        self.lock = threading.Lock()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                inbound, _ = self.server.accept()
            except OSError:
                continue
            try:
                outbound = socket.create_connection(("127.0.0.1", self.target), timeout=2)
            except OSError:
                inbound.close()  # Nobody there yet: the dialer tries again later.
                continue
            self.links += 1
            for a, b in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def pump(self, src, dst):
        src.settimeout(None)
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.seen += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self):
        self.running = False
        self.server.close()


class Peer:
    """A headless `attune` with JSON lines on stdout (only for the pairing)."""

    def __init__(self, name, args):
        self.lines = []
        self.proc = subprocess.Popen([ATTUNE, "--headless"] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(WORK, name + ".stderr"), "w"), text=True)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for raw in self.proc.stdout:
            try:
                self.lines.append(json.loads(raw))
            except ValueError:
                pass

    def wait(self, what, pred):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for l in list(self.lines):
                if pred(l):
                    return l
            time.sleep(0.05)
        fail(f"pairing: {what} never came; got {self.lines[-5:]}")

    def quit(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(WAIT)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


def pair(alex_dir, sam_dir):
    """Alex hosts, Sam joins with the code, both leave: the one pairing."""
    host = Peer("pair-alex", ["--data-dir", alex_dir, "host", "--name", "Alex", "--bind", "127.0.0.1", "--port",
                              "0", "--no-announce"])
    port = host.wait("listening", lambda l: l.get("event") == "listening")["port"]
    code = host.wait("a code", lambda l: l.get("event") == "pairing_code")["code"]
    join = Peer("pair-sam", ["--data-dir", sam_dir, "join", f"127.0.0.1:{port}", "--name", "Sam", "--code", code])
    join.wait("Sam in", lambda l: l.get("event") == "started")
    host.wait("both in", lambda l: l.get("event") == "state" and len(l["state"]["participants"]) == 2)
    join.quit()
    host.quit()


def remember_partner_address(data_dir, address):
    """What a person does once with `attune invite serve --partner ADDRESS`."""
    p = Peer("remember", ["--data-dir", data_dir, "invite", "serve", "--bind", "127.0.0.1", "--no-beacon",
                          "--partner", address])
    p.wait("the postbox", lambda l: l.get("event") == "postbox_open")
    p.proc.terminate()
    p.proc.wait(WAIT)


class Window(DrivenWindow):
    def __init__(self, who, data_dir, args):
        self.who = who
        self.dir = data_dir
        self.report = os.path.join(data_dir, "frames.jsonl")
        self.control = os.path.join(data_dir, "control")
        for path in (self.report, self.control):
            open(path, "w").close()
        self.log_path = os.path.join(data_dir, "app.log")
        self.log = open(self.log_path, "a")
        proc = subprocess.Popen(
            [ATTUNE, "--data-dir", data_dir, "--report-frames", self.report, "--control", self.control,
             "--screenshot-dir", OUT, "--loopback-only", "-v"] + args,
            stdout=self.log, stderr=subprocess.STDOUT)
        DrivenWindow.__init__(self, who, self.report, self.control, proc, fail, WAIT)
        windows.append(self)

    def close(self):
        """Quits as a person does; the postbox must let go cleanly."""
        with open(self.control, "a") as f:
            f.write("close\n")
        try:
            code = self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            fail(f"{self.who}: the window did not close")
        windows.remove(self)
        self.log.close()
        if code != 0:
            fail(f"{self.who}: the window quit with {code}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self in windows:
            windows.remove(self)
        self.log.close()


# A pairing code as the lobby says it aloud ("123 456").
SPOKEN_CODE = re.compile(r"\b\d{3} \d{3}\b")


def shows(frame, text):
    return any(text in line for line in frame.get("lines", []))


def count(frame, text):
    return sum(text in line for line in frame.get("lines", []))


def button(frame, label):
    return next((b for b in frame.get("buttons", []) if b["label"] == label), None)


def shoot(moment):
    """Every open window, saved at this moment as <moment>-<who>.png."""
    return {w.who: w.command(f"shot {moment}-{w.who}") for w in windows}


def prefs(data_dir, name):
    with open(os.path.join(data_dir, "window.json"), "w") as f:
        json.dump({"main": {"x": 0, "y": 0, "width": 1000, "height": 1040, "name": name}}, f)


def invitations(data_dir):
    out = subprocess.run([ATTUNE, "--headless", "--data-dir", data_dir, "invite", "list"], capture_output=True,
                         text=True, timeout=WAIT)
    return json.loads(out.stdout.splitlines()[0])["invitations"]


def fresh_pictures():
    """One run's pictures only: an older run's would read as repeated moments."""
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".png"):
            os.remove(os.path.join(OUT, name))


def main():
    fresh_pictures()
    alex_dir, sam_dir = os.path.join(WORK, "alex"), os.path.join(WORK, "sam")
    pair(alex_dir, sam_dir)
    for d, name in ((alex_dir, "Alex"), (sam_dir, "Sam")):
        prefs(d, name)
    # Alex's postbox listens where its data folder says; Sam reaches it only
    # through the recording relay (no beacons: --no-discovery).
    alex_port = free_port()
    with open(os.path.join(alex_dir, "postbox-port"), "w") as f:
        f.write(f"{alex_port}\n")
    relay = Relay(alex_port)
    remember_partner_address(sam_dir, f"127.0.0.1:{relay.port}")

    # 1. Alex writes an invitation; Sam's window isn't running.
    alex = Window("alex", alex_dir, ["--no-discovery"])
    alex.wait_for("the start screen", lambda f: f.get("screen") == "start" and button(f, "Invite your partner back"))
    alex.click("Invite your partner back")
    alex.click("the day")
    alex.command("type " + DAY)
    alex.click("in an hour")
    alex.click("your words")
    alex.command("type " + WORDS)
    shoot("invite-01-writing")
    alex.click("Send invitation")
    frame = alex.wait_for("the invitation kept", lambda f: shows(f, "Your invitation is ready"))
    shots = shoot("invite-02-sent-sam-away")
    sent = invitations(alex_dir)
    if len(sent) != 1 or sent[0]["status"] != "waiting":
        fail(f"invite-02: Alex's device doesn't keep one waiting invitation: {sent}")

    # 2. Sam's window comes up later: the invitation, once.
    sam = Window("sam", sam_dir, ["--no-discovery"])
    frame = sam.wait_for("the invitation arrives", lambda f: shows(f, "would like to reconnect"))
    shots = shoot("invite-03-received")
    frame = shots["sam"]
    if count(frame, "Alex would like to reconnect") != 1:
        fail(f"invite-03: Sam's window shows the invitation {count(frame, 'would like to reconnect')} times")
    if not shows(frame, "I'd like to come back to what happened on " + DAY) or not shows(frame, WORDS):
        fail(f"invite-03: Sam's window doesn't read Alex's invitation: {frame['lines']}")
    offered = [b["label"] for b in frame["buttons"] if re.fullmatch(r"\w{3} \d{1,2} \w{3}, \d\d:\d\d", b["label"])]
    if not offered:  # The soonest is Alex's "in an hour".
        fail(f"invite-03: Sam isn't offered Alex's times: {[b['label'] for b in frame['buttons']]}")
    sam.click(offered[0])
    sam.wait_for("Sam's answer kept", lambda f: shows(f, "Your answer is on its way"))
    alex.wait_for("Alex hears the answer", lambda f: shows(f, "Agreed with Sam"))
    sam.wait_for("Sam sees the agreed time", lambda f: shows(f, "Agreed with Alex"))
    shots = shoot("invite-04-agreed")
    for who, f in shots.items():
        if shows(f, "would like to reconnect"):
            fail(f"invite-04: {who}'s window still asks after the answer")
        if shows(f, "Time to come back to each other"):
            fail(f"invite-04: {who}'s window reminds before the agreed time")
    got = invitations(sam_dir)
    if len(got) != 1 or got[0]["status"] != "agreed":
        fail(f"invite-04: Sam's device doesn't keep exactly one agreed invitation: {got}")
    if invitations(alex_dir)[0]["status"] != "agreed":
        fail("invite-04: Alex's device doesn't know the time was agreed")
    alex.close()
    sam.close()
    relay.stop()
    wire = bytes(relay.seen)
    if relay.links == 0 or len(wire) < 200:
        fail(f"the letters didn't go through the relay ({relay.links} links, {len(wire)} bytes)")
    for secret in (DAY, WORDS, "picnic", "quiet evenings", "Alex", "Sam"):
        if secret.encode() in wire:
            fail(f"the wire carries '{secret}'")

    # 3. The reminders' clock moves past the agreed time: both windows remind.
    # Nearby sessions on a port of this run's own, so no other test's session is found.
    later = ["--clock-offset-ms", str(2 * HOUR_MS), "--discovery-port", str(free_port())]
    alex = Window("alex", alex_dir, later)
    sam = Window("sam", sam_dir, later)
    for w in (alex, sam):
        w.wait_for("the reminder", lambda f: shows(f, "Time to come back to each other") and button(f, "Start now"))
    shots = shoot("invite-05-reminder")
    for who, f in shots.items():
        if count(f, "Time to come back to each other") != 1:
            fail(f"invite-05: {who}'s window shows the reminder {count(f, 'Time to come back')} times")
        if shows(f, "would like to reconnect"):
            fail(f"invite-05: {who}'s window shows the answered invitation again")
        for secret in (DAY, WORDS):
            if shows(f, secret):
                fail(f"invite-05: {who}'s reminder carries the invitation's words")

    # 4. "Start now" in both: one session, no code (found on loopback).
    alex.click("Start now")
    alex.wait_for("Alex waits for Sam by name", lambda f: f.get("screen") == "lobby" and shows(f, "Waiting for Sam"))
    shots = shoot("invite-06-alex-waits-for-sam")
    if button(shots["alex"], "Let in"):
        fail(f"invite-06: Alex is asked to let Sam in before Sam is even here: {shots['alex']['lines']}")
    if any(SPOKEN_CODE.search(l) or "read out the code" in l for l in shots["alex"]["lines"]):
        fail(f"invite-06: Alex's lobby shows a code to read aloud: {shots['alex']['lines']}")
    if shows(shots["alex"], "Let everyone in"):
        fail(f"invite-06: Alex is told to let people in, with nobody to let in: {shots['alex']['lines']}")
    deadline = time.monotonic() + WAIT
    while sam.latest().get("screen") != "lobby" and time.monotonic() < deadline:
        frame = sam.latest()
        if button(frame, "Start now"):
            sam.click("Start now")
        time.sleep(0.5)
    for w in (alex, sam):
        w.wait_for("both in one session, with no Let in",
                   lambda f: f.get("screen") == "lobby" and button(f, "I'm ready to begin"))
    shots = shoot("invite-06-in-without-a-code")
    if button(shots["sam"], "Join") or any("code" in l.lower() for l in shots["sam"]["lines"]):
        fail(f"invite-06: Sam's window asks for a code: {shots['sam']['lines']}")
    alex_lines = shots["alex"]["lines"]
    if button(shots["alex"], "Let in") or shows(shots["alex"], "Would like to join"):
        fail(f"invite-06: Alex still has to let Sam in: {alex_lines}")
    if any(SPOKEN_CODE.search(l) or "read out the code" in l for l in alex_lines):
        fail(f"invite-06: Alex's lobby shows a code to read aloud: {alex_lines}")
    if not button(shots["alex"], "Pair someone else"):
        fail(f"invite-06: Alex's lobby has no way to pair a coach: {alex_lines}")
    shots = shoot("invite-07-together")
    if shots["sam"].get("role") != "ROLE_PARTNER_B" or shots["alex"].get("role") != "ROLE_PARTNER_A":
        fail(f"invite-07: the seats aren't the pairing's: {shots['alex'].get('role')}, {shots['sam'].get('role')}")
    # A coach still pairs with a code, let in by hand: it waits behind "Pair someone else".
    alex.click("Pair someone else")
    alex.wait_for("the code for someone else", lambda f: any(SPOKEN_CODE.search(l) for l in f.get("lines", [])))
    shoot("invite-08-pair-someone-else")
    alex.close()
    sam.close()
    shutil.rmtree(WORK, ignore_errors=True)
    print("ok: an invitation and a reminder through two real windows; pictures in " + OUT)


main()
