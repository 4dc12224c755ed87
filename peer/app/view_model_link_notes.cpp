// The window's `closed` and `held` lines (issue 15): what the host's close
// frame said, and what waits behind the check-in after a reconnect.
#include "app/view_model.hpp"

namespace attune::app {

namespace {

std::string close_words(const NodeView::Goodbye& goodbye) {
  switch (goodbye.reason) {
    case v1::CLOSE_REASON_GOING_AWAY:
      return "The other device stepped away for now. The session is kept, and we'll reconnect when it's back.";
    case v1::CLOSE_REASON_SILENCE:
      return "We lost touch with the other device for a little while. Reconnecting; nothing is lost.";
    case v1::CLOSE_REASON_ERROR:
      return "Something went wrong between the devices, so the link was closed. Reconnecting; nothing is lost.";
    case v1::CLOSE_REASON_REMOVED:
      return "This device isn't part of the session any more, so we won't reconnect.";
    case v1::CLOSE_REASON_SESSION_ENDED:
      return "The session has ended. Nothing more will come from the other device.";
    case v1::CLOSE_REASON_REPLACED:
      return "This device connected again, so this older link closed. Nothing to do.";
    default:
      break;
  }
  return goodbye.reconnecting ? "The other device closed the link. Reconnecting; nothing is lost."
                              : "The other device closed the link.";
}

}  // namespace

LinkNotes link_notes(const NodeView& snap) {
  LinkNotes notes;
  // After the end, the summary and the status chip say the session is over
  // and who closed it; the host's goodbye would only say it a third time.
  const bool over = snap.state.phase() == v1::PHASE_COMPLETE || snap.state.phase() == v1::PHASE_ENDED;
  if (snap.last_goodbye && !(over && snap.last_goodbye->reason == v1::CLOSE_REASON_SESSION_ENDED)) {
    notes.closed = close_words(*snap.last_goodbye);
    if (!snap.last_goodbye->message.empty()) notes.closed += " They said: \"" + snap.last_goodbye->message + "\"";
  }
  if (!snap.held.empty()) {
    notes.held = snap.held.back().second;
    if (snap.held.size() > 1) notes.held += " (" + std::to_string(snap.held.size()) + " things are waiting.)";
  }
  return notes;
}

}  // namespace attune::app
