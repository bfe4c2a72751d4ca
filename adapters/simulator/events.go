package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// events streams new and changed entries as Server-Sent Events: "new" when
// an entry first appears, "update" when it changes in place, each carrying
// the entry as JSON. With ?persona=id only that person's direct conversation
// and the channels are streamed; without it, everything (the page uses that
// to count unread messages for people you are not being).
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	wants := func(string) bool { return true }
	if id := r.URL.Query().Get("persona"); id != "" {
		p, ok := s.persona(w, r, id)
		if !ok {
			return
		}
		wants = func(conv string) bool { return isDMOf(conv, p.ID) || isChannelID(conv) }
	}

	rc := http.NewResponseController(w)
	// A stream is meant to stay open: lift any WriteTimeout the server has.
	// Not every ResponseWriter supports deadlines, and that is fine.
	_ = rc.SetWriteDeadline(time.Time{})

	sub := s.a.board.subscribe(wants)
	defer s.a.board.unsubscribe(sub)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell proxies not to hold events back
	w.WriteHeader(http.StatusOK)
	// Browsers reconnect after retry ms; the page then fetches the
	// conversation again, so nothing said in between is lost.
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		s.a.log.WarnContext(r.Context(), "simulator: event stream cannot flush", "err", err)
		return
	}
	s.a.log.DebugContext(r.Context(), "simulator: event stream open", "remote", r.RemoteAddr)
	defer s.a.log.DebugContext(r.Context(), "simulator: event stream closed", "remote", r.RemoteAddr)

	heartbeat := time.NewTicker(s.a.heartbeat)
	defer heartbeat.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-sub.c:
			if !ok {
				// Fell too far behind; ending the stream makes the browser
				// reconnect and catch up.
				return
			}
			err = writeEvent(w, e)
		case <-heartbeat.C:
			// A comment keeps proxies and the browser from timing out an
			// idle stream.
			_, err = fmt.Fprint(w, ": ping\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the client is gone
		}
	}
}

// writeEvent writes e as one Server-Sent Event. JSON never holds a raw
// newline, so the data fits on one line as the format requires.
func writeEvent(w http.ResponseWriter, e Entry) error {
	data, err := json.Marshal(toJSON(e))
	if err != nil {
		return fmt.Errorf("encode entry %s: %w", e.Ref, err)
	}
	name := "update"
	if e.version == e.seq {
		name = "new"
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data)
	return err
}
