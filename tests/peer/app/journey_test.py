#!/usr/bin/env python3
"""The walk two people take, through real windows.

Three real `attune` window processes (Alex hosts, Sam joins, Casey joins as
the coach), each with its own data folder, over 127.0.0.1, under the
virtual display this is started in (xvfb-run). Input goes in through the
app's hidden --control file: "click the button labelled X" runs through the
same widget code a person's click does. What each window means is read from
the JSON lines of what it drew (--report-frames), and at every transition
every window is saved as <moment>-<who>.png.

Usage: journey_test.py ATTUNE OUT_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from window_driver import DrivenWindow

ATTUNE, OUT = sys.argv[1], sys.argv[2]
WAIT = 30.0  # Seconds for any one thing to happen; generous for a loaded machine.
NUMBER_WORDS = ["Calm and clear", "A little stirred", "Stirred up", "Running hot", "Very activated",
                "Overwhelmed"]


class Window(DrivenWindow):
    def __init__(self, who, work, args):
        self.who = who
        self.dir = os.path.join(work, who)
        os.makedirs(self.dir, mode=0o700)
        # Tall enough that the lobby's "I'm ready to begin" needs no scrolling.
        with open(os.path.join(self.dir, "window.json"), "w") as f:
            json.dump({"main": {"x": 0, "y": 0, "width": 1000, "height": 1040}}, f)
        self.report = os.path.join(self.dir, "frames.jsonl")
        self.control = os.path.join(self.dir, "control")
        open(self.control, "w").close()
        self.log = open(os.path.join(self.dir, "app.log"), "w")
        proc = subprocess.Popen(
            [ATTUNE, "--data-dir", self.dir, "--report-frames", self.report, "--control", self.control,
             "--screenshot-dir", OUT, "--no-discovery", "--loopback-only"] + args,
            stdout=self.log, stderr=subprocess.STDOUT)
        DrivenWindow.__init__(self, who, self.report, self.control, proc, fail, WAIT, 1500)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


windows = []
WORK = tempfile.mkdtemp(prefix="attune-journey-")


def fail(message):
    print("FAIL: " + message)
    for w in windows:
        w.stop()
        sys.stdout.write(open(w.log.name).read()[-2000:])
    shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(1)


def shows(frame, text):
    return any(text in line for line in frame.get("lines", []))


def button(frame, label):
    for b in frame.get("buttons", []):
        if b["label"] == label:
            return b
    return None


MOMENTS = {}  # (run, number) -> moment name: each number and name is one moment.


def shoot(moment):
    """Every window, saved and read back at this moment."""
    run, number = moment.split("-")[:2]
    if moment in MOMENTS.values() or MOMENTS.setdefault((run, number), moment) != moment:
        fail(f"two moments share a number or name: {MOMENTS.get((run, number))} and {moment}")
    return {w.who: w.command(f"shot {moment}-{w.who}") for w in windows}


def expect_no_number(frame, who, moment):
    for line in frame.get("lines", []):
        if line.strip().isdigit() or line in NUMBER_WORDS:
            fail(f"{moment}: {who}'s window shows '{line}'")


def invite(alex):
    # The lobby shows the address whole and the code in two halves ("482 913").
    def parts(f):
        address = [l for l in f["lines"] if re.fullmatch(r"127\.0\.0\.1:\d+", l)]
        code = [l for l in f["lines"] if re.fullmatch(r"\d{3} \d{3}", l)]
        return (address[0], code[0].replace(" ", "")) if address and code else None
    frame = alex.wait_for("an invite with a code", parts)
    return parts(frame)


def gather(run):
    """Alex hosts, Sam joins, Casey joins as the coach; all in the lobby."""
    work = os.path.join(WORK, run)
    alex = Window("alex", work, ["host", "--name", "Alex", "--bind", "127.0.0.1", "--port", "0",
                                 "--session-name", "Sunday evening"])
    windows.append(alex)
    address, code = invite(alex)
    sam = Window("sam", work, ["join", address, "--name", "Sam", "--code", code])
    windows.append(sam)
    sam.wait_for("Sam waits to be let in", lambda f: shows(f, "Waiting to be let in"))
    alex.wait_for("Alex sees Sam asking", lambda f: button(f, "Let in"))
    shoot(f"{run}-01-sam-asks")
    alex.click("Let in")
    sam.wait_for("Sam in the lobby", lambda f: f["screen"] == "lobby")

    address, code = invite(alex)
    casey = Window("casey", work, ["join", address, "--name", "Casey", "--role", "coach", "--code", code])
    windows.append(casey)
    casey.wait_for("Casey waits as the coach",
                   lambda f: f["role"] == "ROLE_COACH" and shows(f, "Waiting to be let in"))
    for partner in (alex, sam):
        partner.wait_for("the coach to let in", lambda f: button(f, "Let in"))
        partner.click("Let in")
    casey.wait_for("Casey in the lobby as the coach", lambda f: f["screen"] == "lobby")
    shots = shoot(f"{run}-02-lobby")
    if not shows(shots["casey"], "You're here as a coach"):
        fail(f"{run}-02-lobby: Casey is not told they're the coach")
    if run == "walk":
        change_a_setting_after_ready(alex, sam, run)
    for partner in (alex, sam):
        partner.wait_for("I'm ready", lambda f: button(f, "I'm ready to begin"))
        partner.click("I'm ready to begin")
    for w in windows:
        w.wait_for("step 1", lambda f: f["step"] == "STEP_NAME_IT" and f["phase"] == "PHASE_ACTIVE")
    shoot(f"{run}-03-name-it")
    return alex, sam, casey


def change_a_setting_after_ready(alex, sam, run):
    """Sam is ready; Alex then changes the kind of talk (and back): Sam's
    ready is cleared, and Sam's window says who changed what."""
    sam.wait_for("I'm ready", lambda f: button(f, "I'm ready to begin"))
    sam.click("I'm ready to begin")
    sam.wait_for("Sam ready", lambda f: button(f, "Not ready yet"))
    shots = shoot(f"{run}-02a-sam-ready")
    if not button(shots["sam"], "Not ready yet"):
        fail(f"{run}-02a: Sam's window doesn't show Sam as ready")
    for kind, moment in (("A quick repair", "02b"), ("The whole conversation", "02c")):
        alex.click(kind)
        alex.wait_for("Alex may suggest the change", lambda f: button(f, "Suggest this"))
        alex.click("Suggest this")
        frame = sam.wait_for("Sam told what changed", lambda f: shows(f, "Alex changed"))
        shots = shoot(f"{run}-{moment}-alex-changed-the-kind")
        if not button(shots["sam"], "I'm ready to begin"):
            fail(f"{run}-{moment}: Sam's 'ready' outlived Alex's change")
        if button(shots["sam"], "Not ready yet"):
            fail(f"{run}-{moment}: Sam still shows as ready after Alex's change")
        if not any("Alex changed" in l and "ready again" in l for l in frame["lines"]):
            fail(f"{run}-{moment}: Sam isn't told who changed what: {frame['lines']}")


def all_reach(what, phase, moment):
    """Every window reaches a phase; all are saved; none shows a number."""
    for w in windows:
        w.wait_for(what, lambda f: f["phase"] == phase)
    shots = shoot(moment)
    for who, frame in shots.items():
        expect_no_number(frame, who, moment)
    return shots


def pause_by_hand_then_long_break(alex, sam, run, moment):
    """Sam calls a pause by hand; Alex suggests a longer break, Sam agrees;
    Alex comes back. No window names who paused."""
    sam.wait_for("a way to pause", lambda f: button(f, "I need a pause"))
    sam.click("I need a pause")
    shots = all_reach("the pause", "PHASE_PAUSED", f"{run}-{moment:02d}-paused-by-hand")
    for who, frame in shots.items():
        for line in frame["lines"]:
            if "Sam" in line and "pause" in line.lower():
                fail(f"{run}-{moment:02d}: {who}'s window says who paused: '{line}'")
    for who in ("alex", "sam"):
        if not shows(shots[who], "Taking a moment") or not button(shots[who], "I need to stop"):
            fail(f"{run}-{moment:02d}: {who}'s pause screen lacks its title or the way out")
        if not shows(shots[who], "20 minutes"):
            fail(f"{run}-{moment:02d}: {who}'s long break doesn't start at the agreed 20 minutes")
    if not any(b["label"].startswith("Suggest back at") for b in shots["alex"]["buttons"]):
        fail(f"{run}-{moment:02d}: Alex can't suggest a longer break")
    alex.click_starting_with("Suggest back at")
    sam.wait_for("Sam asked about the break", lambda f: button(f, "Yes, let's take that break"))
    shots = shoot(f"{run}-{moment + 1:02d}-long-break-suggested")
    if not shows(shots["sam"], "Alex suggests a longer break"):
        fail(f"{run}-{moment + 1:02d}: Sam isn't told Alex suggested a break")
    sam.click("Yes, let's take that break")
    for w in windows:
        w.wait_for("the long break", lambda f: f["phase"] == "PHASE_LONG_BREAK")
    shots = shoot(f"{run}-{moment + 2:02d}-on-a-long-break")
    for who in ("alex", "sam"):
        if not shows(shots[who], "On a longer break") or not button(shots[who], "We're back"):
            fail(f"{run}-{moment + 2:02d}: {who}'s window isn't on the long break")
    if button(shots["casey"], "We're back"):
        fail(f"{run}-{moment + 2:02d}: the coach is offered 'We're back'")
    # Each says "We're back" for themselves: Alex's alone doesn't end the
    # break, and Sam is told by name (no number) that Alex is back.
    alex.click("We're back")
    sam.wait_for("Sam told Alex is back", lambda f: shows(f, "Alex is back"))
    shots = shoot(f"{run}-{moment + 3:02d}-alex-is-back")
    for who, frame in shots.items():
        if frame["phase"] != "PHASE_LONG_BREAK":
            fail(f"{run}-{moment + 3:02d}: Alex's 'We're back' alone ended the break for {who}")
        expect_no_number(frame, who, f"{run}-{moment + 3:02d}")
    if button(shots["alex"], "We're back") or not button(shots["sam"], "We're back"):
        fail(f"{run}-{moment + 3:02d}: 'We're back' is offered to the wrong partner")
    if not shows(shots["alex"], "Waiting for Sam"):
        fail(f"{run}-{moment + 3:02d}: Alex isn't told they wait for Sam")
    if not shows(shots["casey"], "Alex is back"):
        fail(f"{run}-{moment + 3:02d}: the coach isn't told who is back")
    sam.click("We're back")
    # Back early: the pause keeps its two-minute minimum...
    shots = all_reach("both back, the pause runs on", "PHASE_PAUSED", f"{run}-{moment + 4:02d}-both-back")
    if not any(re.fullmatch(r"\d+:\d\d", l) for l in shots["sam"]["lines"]):
        fail(f"{run}-{moment + 4:02d}: the pause's countdown isn't shown after both came back")
    # ...which the journey lets pass on the windows' own session clocks.
    for w in windows:
        w.command("clock +125")
    all_reach("the check-in after the pause", "PHASE_CHECK_IN", f"{run}-{moment + 5:02d}-back-from-the-break")
    return moment + 6


def check_in_if_asked(partners, level, run, moment):
    """Any partner whose window asks for a check-in picks `level` and sends it."""
    asked = False
    for w in partners:
        frame = w.latest()
        if frame.get("phase") == "PHASE_CHECK_IN" and button(frame, "Check in") and button(frame, str(level)):
            w.click(str(level))
            w.click("Check in")
            asked = True
    if asked:
        shots = shoot(f"{run}-{moment:02d}-checked-in")
        for who, frame in shots.items():
            expect_no_number(frame, who, f"{run}-{moment:02d}")
    return asked


def act(w, label, partners, run, moment, seen):
    """Waits (doing any check-in on the way) until w offers `label`, clicks it, shoots."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check_in_if_asked(partners, 2, run, moment):
            moment += 1
            continue
        b = button(w.latest(), label)
        if b and b["enabled"]:
            w.click(label)
            shoot(f"{run}-{moment:02d}-{w.who}-{re.sub('[^a-z]+', '-', label.lower()).strip('-')}")
            seen.append(label)
            return moment + 1
        time.sleep(0.05)
    fail(f"{run}: {w.who} was never offered '{label}' (after {seen}); drawn: {json.dumps(w.latest())[:1500]}")


def full_walk():
    """All nine steps, a "not quite" loop, the swap, a gesture, the summary."""
    alex, sam, casey = gather("walk")
    partners = (alex, sam)
    plan = [(alex, "Yes, this is a feelings conversation"), (sam, "Yes, this is a feelings conversation"),
            (alex, "I can offer that"), (sam, "I can offer that"),
            (alex, "I'll go first"), (sam, "Yes, that's fine"),
            # Deeper listening: the mirror, "Is there more?" (once with more), validation,
            # empathy, then the reflection; the engine lets no part be skipped.
            (alex, "I'm done sharing"), (sam, "Is there more?"), (alex, "Yes, there's more"),
            (alex, "That's what I wanted to add"), (sam, "Is there more?"), (alex, "That's all for now"),
            (sam, "Next: how it might feel"), (sam, "I've reflected"), (alex, "Not quite"),
            (alex, "I'm done sharing"), (sam, "Is there more?"), (alex, "That's all for now"),
            (sam, "Next: how it might feel"), (sam, "I've reflected"), (alex, "Yes, that's it"),
            (sam, "I'm done sharing"), (alex, "Is there more?"), (sam, "That's all for now"),
            (alex, "Next: how it might feel"), (alex, "I've reflected"), (sam, "Yes, that's it"),
            (alex, "That's my part"), (sam, "That's my part"),
            (alex, "I've said it"), (sam, "I've said it"),
            (sam, "A long hug"), (sam, "Offer"), (alex, "Yes, let's do that")]
    moment, seen = 4, []
    for w, label in plan:
        moment = act(w, label, partners, "walk", moment, seen)
        if label == "Yes, that's fine":
            moment = pause_by_hand_then_long_break(alex, sam, "walk", moment)
        if label == "Not quite":
            frame = sam.wait_for("Sam told why Share is back", lambda f: f["step"] == "STEP_SHARE")
            if not shows(frame, "didn't quite capture it"):
                fail("walk: after 'not quite', Sam is not told why")
        if label == "I'm done sharing" and seen.count(label) == 1:
            for w2 in windows:
                w2.wait_for("who starts, said on every screen", lambda f: shows(f, "offered to go first"))
    reach_the_end("PHASE_COMPLETE", f"walk-{moment:02d}-summary", "You found your way back")
    host_closes(alex, f"walk-{moment + 1:02d}")
    sam.click("Past sessions")
    frame = sam.command(f"shot walk-{moment + 2:02d}-past-sessions-sam")
    if not shows(frame, "Finished together, 9 of 9 steps"):
        fail("walk: Sam's past sessions don't list this one")
    stop_all()


def reach_the_end(phase, moment, title):
    """Every window reaches the end; both partners' summaries say so."""
    for w in windows:
        w.wait_for(moment, lambda f: f["phase"] == phase)
    shots = shoot(moment)
    for who in ("alex", "sam"):
        if not shows(shots[who], title):
            fail(f"{moment}: {who} is not told '{title}'")
    return shots


def host_closes(alex, moment):
    """The host closes its window after the end: quiet news, never an alarm."""
    with open(alex.control, "a") as f:
        f.write("close\n")  # (No answer: the window is gone.)
    try:
        alex.proc.wait(WAIT)
    except subprocess.TimeoutExpired:
        fail("Alex's window did not close")
    windows.remove(alex)
    for w in windows:
        w.wait_for("quiet news of the host leaving", lambda f: shows(f, "Alex closed the session"))
    shots = shoot(f"{moment}-host-closed-after-the-end")
    for who, frame in shots.items():
        for alarm in ("Reconnecting", "connection dropped"):
            if shows(frame, alarm):
                fail(f"{moment}: {who}'s window shows '{alarm}'")


def stop_all():
    for w in list(windows):
        w.stop()
        windows.remove(w)


def stop_midway():
    """A gate that pauses, then a discreet stop."""
    run = "stop"
    alex, sam, casey = gather(run)
    for partner in (alex, sam):
        partner.click("Yes, this is a feelings conversation")
    for w in windows:
        w.wait_for("the first check-in", lambda f: f["phase"] == "PHASE_CHECK_IN")
    shoot(f"{run}-04-check-in")

    # Sam checks in low; Alex above the line: the gate pauses. Nobody's
    # window may show a number or look different from the other's.
    sam.click("2")
    sam.click("Check in")
    alex.click("6")
    alex.click("Check in")
    shots = all_reach("the gate's pause", "PHASE_PAUSED", f"{run}-05-gate-paused")
    link = ("Hosting", "Connected")
    # (The countdown, read a moment apart, may differ by a second.)
    a = [l for l in shots["alex"]["lines"] if l not in link and not re.fullmatch(r"\d+:\d\d", l)]
    s = [l for l in shots["sam"]["lines"] if l not in link and not re.fullmatch(r"\d+:\d\d", l)]
    if a != s:
        fail(f"{run}-05-gate-paused: the partners' windows differ:\n  Alex: {a}\n  Sam:  {s}")

    # Sam stops, discreetly, during the pause: everyone sees the end, and no
    # window says who stopped it.
    sam.click("I need to stop")
    sam.click("Yes, stop now")
    shots = reach_the_end("PHASE_ENDED", f"{run}-06-stopped", "The session has ended")
    for who, frame in shots.items():
        for line in frame["lines"]:
            if "Sam" in line and ("stop" in line or "ended" in line):
                fail(f"{run}-06-stopped: {who}'s window says who stopped: '{line}'")

    host_closes(alex, f"{run}-07")
    stop_all()


def fresh_pictures():
    """One run's pictures only: an older run's would read as repeated moments."""
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".png"):
            os.remove(os.path.join(OUT, name))


def main():
    fresh_pictures()
    full_walk()
    stop_midway()
    keyboard_only()
    shutil.rmtree(WORK, ignore_errors=True)
    print("ok: the walk through three real windows; pictures in " + OUT)


# The keyboard, as a person without a mouse meets it: real key presses
# (xdotool, through the X server) on Sam's window. Tab reaches "I'm ready to
# begin" and Enter presses it; in the stop dialog the keyboard lands on
# "Keep going", and Tab then Enter answers "Yes, stop now".
def xdo(*args):
    return subprocess.run(["xdotool"] + list(args), capture_output=True, text=True, timeout=10).stdout.split()


def press(w, key, moved=None):
    """One key into this window; returns the first frame after it (that
    `moved`, if given, says shows the key's effect)."""
    before = len(w.lines())
    ids = xdo("search", "--onlyvisible", "--pid", str(w.proc.pid))
    if not ids:
        fail(f"{w.who}: no window to type into")
    xdo("windowfocus", "--sync", ids[0])
    xdo("key", "--clearmodifiers", key)
    return w.wait_for(f"a frame after {key}", lambda f: len(w.lines()) > before and (moved is None or moved(f)))


def tab_to(w, label, moment):
    seen = []
    for _ in range(40):
        was = w.latest().get("focused", "")
        frame = press(w, "Tab", lambda f: f.get("focused", "") != was)
        seen.append(frame.get("focused", ""))
        if frame.get("focused") == label:
            return
    fail(f"{moment}: Tab never reached '{label}' on {w.who}'s window; it went {seen}")


def keyboard_only():
    run = "keys"
    work = os.path.join(WORK, run)
    alex = Window("alex", work, ["host", "--name", "Alex", "--bind", "127.0.0.1", "--port", "0"])
    windows.append(alex)
    address, code = invite(alex)
    sam = Window("sam", work, ["join", address, "--name", "Sam", "--code", code])
    windows.append(sam)
    alex.wait_for("Alex sees Sam asking", lambda f: button(f, "Let in"))
    alex.click("Let in")
    sam.wait_for("Sam in the lobby", lambda f: f["screen"] == "lobby" and button(f, "I'm ready to begin"))
    tab_to(sam, "I'm ready to begin", f"{run}-01")
    sam.command(f"shot {run}-01-ready-focused-sam")
    press(sam, "Return")
    alex.wait_for("Sam ready, by keyboard", lambda f: "Ready" in f.get("lines", []))
    alex.click("I'm ready to begin")
    sam.wait_for("step 1", lambda f: f["step"] == "STEP_NAME_IT" and f["phase"] == "PHASE_ACTIVE")
    tab_to(sam, "I need to stop", f"{run}-02")
    press(sam, "Return")
    sam.wait_for("the stop dialog", lambda f: shows(f, "Stop here for now?"))
    sam.wait_for("the keyboard on 'Keep going'", lambda f: f.get("focused") == "Keep going")
    sam.command(f"shot {run}-02-stop-dialog-keep-going-sam")
    tab_to(sam, "Yes, stop now", f"{run}-03")
    press(sam, "KP_Enter")
    for w in windows:
        w.wait_for("the end, by keyboard", lambda f: f["phase"] == "PHASE_ENDED")
    shoot(f"{run}-03-stopped-by-keyboard")
    stop_all()


main()
