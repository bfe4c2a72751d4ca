package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

const (
	// stateTTL is how long an idle conversation is remembered. The answers
	// themselves are in the round and never expire.
	stateTTL = 14 * 24 * time.Hour
	// claimTTL outlasts every platform's retry schedule.
	claimTTL = 24 * time.Hour
	// attempts bounds the retries after losing a race for one person.
	attempts = 10
)

// ErrContended is returned when an event lost the race for its person's
// state too many times in a row.
var ErrContended = errors.New("engine: too much contention for one person")

// Options configure an Engine.
type Options struct {
	Store  store.Store
	Dialog dialog.Store
	Texts  *i18n.Catalog
	Clock  func() time.Time
	Logger *slog.Logger
	// Registerer takes the engine's metrics; nil keeps them unregistered.
	Registerer prometheus.Registerer
	// TimeZone is used for people who have none set.
	TimeZone *time.Location
	// Voice transcribes and summarises voice notes; nil tells people voice
	// notes can't be read here.
	Voice Voice
	// VoiceRetention is how long transcripts (and unconfirmed audio) are
	// kept; 0 keeps them.
	VoiceRetention time.Duration
	// NudgeTime, when set, is the first moment at or after t that a nudge
	// may reach p: inside their hours, on a working day (the scheduler's
	// Planner.KeepToHours). Nil sends at once.
	NudgeTime func(p bot.Person, t time.Time) time.Time
	// Feedback is how praise works; nil is conversations.DefaultFeedbackConfig.
	Feedback *conversations.FeedbackConfig
	// Buttons seals button values (see seal.go); nil is a key of this
	// engine's own, which no other replica or restart shares.
	Buttons *seal.Ring
	// PersonLease is how long a step owns its person (0 is 30 s): the most
	// a replica that died mid-step holds them up. It must exceed the
	// runtime's step timeout; sends never hold it.
	PersonLease time.Duration
	// Links mints the dashboard's sign-in links; nil says the dashboard
	// is off.
	Links SignInLinks
}

// Engine turns events into conversation steps.
type Engine struct {
	store    store.Store
	dialog   dialog.Store
	texts    *i18n.Catalog
	now      func() time.Time
	log      *slog.Logger
	tz       *time.Location
	metrics  *metrics
	mu       sync.RWMutex
	adapters map[bot.Platform]bot.Adapter
	inflight sync.WaitGroup

	voice          Voice
	voiceRetention time.Duration
	nudgeTime      func(p bot.Person, t time.Time) time.Time
	voiceWake      chan struct{}

	feedback conversations.FeedbackConfig
	buttons  *seal.Ring

	personLease time.Duration
	// held are the outbox messages this process is sending (outbox.go);
	// outboxWake runs the outbox job at once.
	held       *held
	outboxWake chan struct{}
	links      SignInLinks
}

// New returns an Engine. Register adapters before events arrive.
func New(o Options) *Engine {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.TimeZone == nil {
		o.TimeZone = time.UTC
	}
	fb := conversations.DefaultFeedbackConfig()
	if o.Feedback != nil {
		fb = *o.Feedback
	}
	return &Engine{
		store: o.Store, dialog: o.Dialog, texts: o.Texts, now: o.Clock, log: o.Logger, tz: o.TimeZone,
		metrics: newMetrics(o.Registerer), adapters: map[bot.Platform]bot.Adapter{},
		voice: o.Voice, voiceRetention: o.VoiceRetention, voiceWake: make(chan struct{}, 1), nudgeTime: o.NudgeTime,
		feedback: fb, buttons: ringOr(o.Buttons, o.Clock),
		personLease: cmp.Or(o.PersonLease, leaseTTL), held: newHeld(o.Clock), outboxWake: make(chan struct{}, 1),
		links: o.Links,
	}
}

// Register makes a platform reachable for outbound messages.
func (e *Engine) Register(a bot.Adapter) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.adapters[a.Platform()] = a
}

func (e *Engine) adapter(p bot.Platform) (bot.Adapter, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, ok := e.adapters[p]
	return a, ok
}

// waitsForReplies reports whether the step answering ev waits for its
// replies to go out: when the runtime says its sender waits for the answer
// (bot.Receipt.Patient), and when the step was called directly, not by the
// runtime, whose caller expects it done when Handle returns.
func (e *Engine) waitsForReplies(ctx context.Context) bool {
	rc, byRuntime := bot.ReceiptFrom(ctx)
	return !byRuntime || rc.Patient
}

// Wait blocks until every event being handled is done, or ctx ends: call it
// on shutdown after the adapters stopped taking new events.
func (e *Engine) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { e.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("engine: events still in flight: %w", ctx.Err())
	}
}

// Handle takes one inbound event. It implements bot.Handler.
func (e *Engine) Handle(ctx context.Context, ev bot.Event) error {
	e.inflight.Add(1)
	defer e.inflight.Done()
	if _, ok := bot.ReceiptFrom(ctx); !ok {
		// Called directly, not by the runtime (which bounds a step by its
		// deadline and hands back what it cancels): once taken, an event is
		// finished even if the request that brought it is cancelled.
		ctx = context.WithoutCancel(ctx)
	}
	start := e.now()
	outcome, err := e.handle(ctx, ev)
	e.metrics.observe(ev, outcome, e.now().Sub(start))
	if err != nil {
		e.log.ErrorContext(ctx, "event failed", "platform", ev.From.Platform, "event", ev.ID, "kind", ev.Kind, "err", err)
	}
	return err
}

func (e *Engine) handle(ctx context.Context, ev bot.Event) (outcome string, err error) {
	// Through the runtime the inbox has made the event unique already, and
	// a claim here would outlive a crash and swallow the inbox's retry.
	if _, inboxed := bot.ReceiptFrom(ctx); ev.ID != "" && !inboxed {
		key := "event:" + ev.From.String() + ":" + ev.ID
		first, cerr := e.dialog.Claim(ctx, key, claimTTL)
		if cerr != nil {
			return "error", fmt.Errorf("engine: claim event: %w", cerr)
		}
		if !first {
			return "duplicate", nil
		}
		defer func() {
			// A failed event is released so the platform's retry can succeed.
			if err != nil {
				if rerr := e.dialog.Release(ctx, key); rerr != nil {
					e.log.WarnContext(ctx, "release event claim", "event", ev.ID, "err", rerr)
				}
			}
		}()
	}
	person, err := e.store.PersonByIdentity(ctx, ev.From)
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = e.stranger(ctx, ev)
		return "stranger", err
	case err != nil:
		return "error", fmt.Errorf("engine: find person: %w", err)
	}
	if refused, err := e.unseal(ctx, person, &ev); refused {
		return "refused", err
	}
	if ev.Kind == bot.KindVoice && ev.Voice != nil {
		// Kept before anything else, so a voice note is never lost.
		if err = e.keepVoice(ctx, person, ev); err != nil {
			return "error", err
		}
	}
	if err = e.run(ctx, person, trigger{event: ev}); err != nil {
		return "error", err
	}
	if ev.Kind == bot.KindVoice {
		e.wakeVoice()
	}
	return "handled", nil
}

// stranger answers someone perfbot does not know, and remembers them so HR
// can see who tried.
func (e *Engine) stranger(ctx context.Context, ev bot.Event) error {
	now := e.now()
	if err := e.store.NoteUnknown(ctx, store.Unknown{Identity: ev.From, FirstAt: now, LastAt: now, Count: 1}); err != nil {
		return fmt.Errorf("engine: note unknown sender: %w", err)
	}
	_ = e.dispatch(ctx, bot.Person{}, ev, []conversations.Outbound{conversations.Stranger(e.texts)}) // logged; nothing to retry
	return nil
}

// keepVoice stores a voice note for the transcription worker, marked with
// what it is for: the check-in under way, or a weekly note.
func (e *Engine) keepVoice(ctx context.Context, person bot.Person, ev bot.Event) error {
	raw, version, err := e.dialog.Get(ctx, dialogKey(person.ID))
	if err != nil {
		return fmt.Errorf("engine: read dialog: %w", err)
	}
	st, _ := conversations.DecodeState(raw) // unreadable reads as no check-in
	kind := conversations.VoiceKindFor(st)
	if raw == nil && version == 0 {
		// The state was lost (see run): the current round says whether a
		// check-in is under way.
		r, err := e.store.RoundByPeriod(ctx, store.Viewer(person.ID), person.ID, period.Of(e.now(), e.location(person)))
		switch {
		case err == nil:
			kind = conversations.VoiceKindLost(r)
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("engine: read round: %w", err)
		}
	}
	v := ev.Voice
	n := store.VoiceNote{
		PersonID: person.ID, Identity: ev.From, MediaID: v.MediaID, Format: v.Format, Audio: v.Audio,
		Transcript: v.Transcript, ReceivedAt: e.now(), Kind: kind, Status: store.VoicePending,
	}
	if err := e.store.SaveVoiceNote(ctx, &n); err != nil {
		return fmt.Errorf("engine: keep voice note: %w", err)
	}
	return nil
}
