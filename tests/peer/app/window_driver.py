"""What both real-window journeys share: reading what a window drew from its
--report-frames file, and saying what to do through its hidden --control
file (the same widget code a click runs). Every wait has a deadline."""
import json
import time


class DrivenWindow:
    """A running `attune` window: `proc` its process, `report` and `control`
    its two files. `fail(message)` ends the journey (each script has its
    own, which also stops the other windows); `wait` is the longest any one
    thing may take; `shown` how much of a frame a failure prints."""

    def __init__(self, who, report, control, proc, fail, wait, shown=2000):
        self.who, self.report, self.control, self.proc = who, report, control, proc
        self.fail, self.wait, self.shown = fail, wait, shown
        self.sent = 0

    def lines(self):
        out = []
        try:
            with open(self.report) as f:
                for raw in f:
                    try:
                        out.append(json.loads(raw))
                    except ValueError:
                        pass  # A line still being written.
        except FileNotFoundError:
            pass
        return out

    def latest(self):
        frames = [l for l in self.lines() if l.get("event") in ("frame", "ack")]
        return frames[-1] if frames else {}

    def wait_for(self, what, pred, timeout=None):
        deadline = time.monotonic() + (timeout or self.wait)
        while time.monotonic() < deadline:
            last = self.latest()
            if last and pred(last):
                return last
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.fail(f"{self.who}: {what} never happened; last drawn: {json.dumps(self.latest())[:self.shown]}")

    def command(self, text, must=True):
        self.sent += 1
        seq = self.sent
        with open(self.control, "a") as f:
            f.write(text + "\n")
        deadline = time.monotonic() + self.wait
        while time.monotonic() < deadline:
            for l in self.lines():
                if l.get("event") == "ack" and l.get("seq") == seq:
                    if not l.get("ok") and must:
                        self.fail(f"{self.who}: '{text}' did not go in; drawn: {json.dumps(l)[:self.shown]}")
                    return l
            if self.proc.poll() is not None:
                self.fail(f"{self.who}: the window exited")
            time.sleep(0.05)
        self.fail(f"{self.who}: no answer to '{text}'")

    def click(self, label):
        return self.command("click " + label)

    def click_starting_with(self, prefix, tries=3):
        """Clicks the button whose label starts with `prefix`, for labels
        that carry the time ("Suggest back at 00:05"): when the minute
        turns between reading the label and the click, the label is read
        again, at most `tries` times."""
        for _ in range(tries):
            labels = [b["label"] for b in self.latest().get("buttons", []) if b["label"].startswith(prefix)]
            if labels and self.command("click " + labels[0], must=False).get("ok"):
                return labels[0]
        self.fail(f"{self.who}: no button starting '{prefix}' could be clicked; last drawn: {json.dumps(self.latest())[:self.shown]}")
