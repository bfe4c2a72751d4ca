package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of [RuntimeOptions].
const (
	DefaultWorkers     = 32
	DefaultStepTimeout = 20 * time.Second
	DefaultClaim       = 2 * time.Minute
	DefaultAttempts    = 6
	DefaultPoll        = time.Second
	DefaultDrain       = 25 * time.Second
)

// RuntimeOptions configure a [Runtime]. Only Inbox and Handler are required.
type RuntimeOptions struct {
	// Inbox keeps every event from before it is acknowledged until it is
	// handled.
	Inbox Inbox
	// Handler steps one event. It finds the event's [Receipt] in its
	// context and may settle it in its own transaction.
	Handler Handler
	Clock   func() time.Time
	Logger  *slog.Logger
	// Workers bounds the events handled at once in this process.
	Workers int
	// StepTimeout is the deadline of one handling. It must be shorter than
	// any lease the handler holds while it steps, so a slow step gives its
	// lease up by failing rather than by running past it.
	StepTimeout time.Duration
	// Claim is how long a handling owns its event in the inbox; past it,
	// another worker or replica may take the event again. It must exceed
	// StepTimeout.
	Claim time.Duration
	// Attempts is how often an event is handled before its failure is
	// final; Backoff is the wait before attempt n+1 (n >= 1).
	Attempts int
	Backoff  func(n int) time.Duration
	// Poll is how often the inbox is looked at for events that are due: a
	// retry, an event taken in while every worker was busy, an event whose
	// replica died.
	Poll time.Duration
	// Drain bounds how long Run waits, once its context ends, for the
	// events being handled; those still running then are handed back.
	Drain time.Duration
	// OnJob, when set, is told of every run of a periodic job: when it
	// started, how long it took and how it ended (nil, its error, or the
	// panic it recovered from). Metrics hang off it: a job that stops
	// running, or fails every time, is how a stuck scheduler shows.
	OnJob func(name string, started time.Time, took time.Duration, err error)
}

// Runtime is what turns adapters into a running bot: it registers them,
// mounts their webhooks, runs their receivers, and owns the inbound policy
// every platform shares. An event an adapter hands on (see [Runtime.Handle])
// is first kept in the [Inbox]; only then is the platform acknowledged. A
// bounded pool of workers steps it under a deadline, retries a failure with
// backoff, recovers a panic, and settles it in the inbox; a redelivered
// event is acknowledged and dropped. The periodic jobs of the service run
// here too ([Runtime.Every]), and on shutdown the runtime stops taking work,
// finishes or hands back what is in flight, and loses nothing.
type Runtime struct {
	o        RuntimeOptions
	log      *slog.Logger
	slots    chan struct{}
	wake     chan struct{}
	inflight sync.WaitGroup
	keeper   *keeper // nil when the inbox keeps one event at a time

	mu       sync.Mutex
	adapters map[Platform]Adapter
	// lanes holds, by sender, the events waiting for the one being handled.
	lanes map[string][]queued
	jobs  []Job
	// unsettled are handled events still to be recorded done (settle).
	unsettled  []Envelope
	settleWake chan struct{}
	// work is the context of every handling; cancelled when draining ran
	// out of time, so what is left fails fast and is handed back.
	work     context.Context
	stopWork context.CancelFunc
	stopping bool
	// backlog is set while the inbox holds due events this process has
	// not taken: an incoming event then waits its turn there instead of
	// holding a worker while it is kept. Under load nearly every such
	// event is kept behind its sender's earlier one, and the workers held
	// for those keeps left none for the poll that hands out the backlog.
	backlog atomic.Bool
}

// Job is work the runtime runs periodically: Run at start, then every
// Every, and at once whenever Wake delivers.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(context.Context) error
	Wake  <-chan struct{}
}

// NewRuntime returns a Runtime; register adapters and jobs, then Run it.
func NewRuntime(o RuntimeOptions) (*Runtime, error) {
	if o.Inbox == nil || o.Handler == nil {
		return nil, errors.New("bot: NewRuntime needs an Inbox and a Handler")
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Workers = orDefault(o.Workers, DefaultWorkers)
	o.StepTimeout = orDefault(o.StepTimeout, DefaultStepTimeout)
	o.Claim = orDefault(o.Claim, DefaultClaim)
	o.Attempts = orDefault(o.Attempts, DefaultAttempts)
	o.Poll = orDefault(o.Poll, DefaultPoll)
	o.Drain = orDefault(o.Drain, DefaultDrain)
	if o.Backoff == nil {
		o.Backoff = Backoff
	}
	if o.Claim <= o.StepTimeout {
		return nil, fmt.Errorf("bot: NewRuntime: claim %v must exceed the step timeout %v", o.Claim, o.StepTimeout)
	}
	work, stop := context.WithCancel(context.Background())
	r := &Runtime{
		o: o, log: o.Logger, slots: make(chan struct{}, o.Workers), wake: make(chan struct{}, 1), settleWake: make(chan struct{}, 1),
		adapters: map[Platform]Adapter{}, lanes: map[string][]queued{}, work: work, stopWork: stop,
	}
	if bk, ok := o.Inbox.(BatchKeeper); ok {
		r.keeper = &keeper{inbox: bk}
	}
	return r, nil
}

// keepEvent keeps ev, in a batch when the inbox keeps batches.
func (r *Runtime) keepEvent(ctx context.Context, ev Event, until time.Time) (Envelope, bool, error) {
	if r.keeper != nil {
		return r.keeper.keep(ev, until)
	}
	return r.o.Inbox.KeepEvent(ctx, ev, until)
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// Backoff is the default wait before the attempt after the nth: 1 s,
// doubling, at most 5 minutes.
func Backoff(n int) time.Duration {
	return min(time.Second<<min(max(n-1, 0), 10), 5*time.Minute)
}

// Register adds adapters; their events come to the runtime.
func (r *Runtime) Register(as ...Adapter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range as {
		r.adapters[a.Platform()] = a
	}
}

// Adapter returns the registered adapter of platform p.
func (r *Runtime) Adapter(p Platform) (Adapter, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.adapters[p]
	return a, ok
}

// Mount mounts the webhooks of every registered [Mounter] on mux.
func (r *Runtime) Mount(mux *http.ServeMux) {
	for _, a := range r.registered() {
		if m, ok := a.(Mounter); ok {
			m.Mount(mux, r)
		}
	}
}

func (r *Runtime) registered() []Adapter {
	r.mu.Lock()
	defer r.mu.Unlock()
	as := make([]Adapter, 0, len(r.adapters))
	for _, a := range r.adapters {
		as = append(as, a)
	}
	return as
}

// Every runs fn every interval while the runtime runs.
func (r *Runtime) Every(name string, interval time.Duration, fn func(context.Context) error) {
	r.Schedule(Job{Name: name, Every: interval, Run: fn})
}

// Schedule adds a periodic job; call it before Run.
func (r *Runtime) Schedule(j Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs = append(r.jobs, j)
}

// Handle takes in one event from an adapter. It returns once the event is
// kept in the inbox, or already was: the adapter may then acknowledge it.
// An error means nothing was kept, and the platform should deliver the
// event again. For a [Patient] adapter it returns once the event is
// handled. Handle implements [Handler].
func (r *Runtime) Handle(ctx context.Context, ev Event) error {
	patient := r.patient(ev)
	// A patient sender waits for the answer, so its event takes a worker
	// even past a backlog: it is one person at a keyboard, not a flood.
	slot := (patient || !r.backlog.Load()) && r.acquire()
	if !slot && patient {
		slot = r.acquireWait(ctx)
	}
	// The request may end as soon as the event is kept.
	ctx = context.WithoutCancel(ctx)
	var until time.Time
	if slot {
		until = r.o.Clock().Add(r.o.Claim)
	}
	env, kept, err := r.keepEvent(ctx, ev, until)
	switch {
	case err != nil:
		r.release(slot)
		return fmt.Errorf("bot: keep event: %w", err)
	case !kept:
		r.release(slot)
		r.log.DebugContext(ctx, "event delivered again; acknowledged", "platform", ev.From.Platform, "event", ev.ID)
		return nil
	case !slot || env.ClaimUntil.IsZero():
		// Kept as due, maybe behind the sender's earlier event, which may
		// be handled already and only wait for its batch to be recorded:
		// record the batch now, then the poll, here or on another replica,
		// takes this one in its turn.
		r.release(slot)
		r.backlog.Store(true)
		r.wakeSettle()
		r.poke()
		return nil
	}
	done := r.start(env)
	if patient {
		<-done
	}
	return nil
}

// Patient is an Adapter whose platform sets no deadline on acknowledging
// an event (the simulator, a command line): the runtime answers its events
// only once they are handled, so its user sees each reply before typing
// the next message, as in a chat.
type Patient interface {
	Adapter
	Patient()
}

// acquire takes a worker slot if one is free and the runtime is not
// stopping.
func (r *Runtime) acquire() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopping {
		return false
	}
	select {
	case r.slots <- struct{}{}:
		r.inflight.Add(1)
		return true
	default:
		return false
	}
}

func (r *Runtime) release(slot bool) {
	if slot {
		<-r.slots
		r.inflight.Done()
	}
}

func (r *Runtime) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// acquireWait waits for a free worker slot, until ctx ends.
func (r *Runtime) acquireWait(ctx context.Context) bool {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if r.acquire() {
				return true
			}
			if r.draining() {
				return false
			}
		}
	}
}

// queued is an event waiting in its sender's lane, holding a slot.
type queued struct {
	env  Envelope
	done chan struct{}
}

// start handles env on a goroutine of its sender's lane, and returns a
// channel closed once it is handled; the caller holds a slot. The events of
// one sender are handled one after another, in the order they came, so an
// answer is never stepped before the question it answers.
func (r *Runtime) start(env Envelope) <-chan struct{} {
	q := queued{env: env, done: make(chan struct{})}
	key := env.Event.From.String()
	r.mu.Lock()
	if lane, busy := r.lanes[key]; busy {
		r.lanes[key] = append(lane, q)
		r.mu.Unlock()
		return q.done
	}
	r.lanes[key] = nil
	r.mu.Unlock()
	go func() {
		for {
			retried := r.handle(q.env)
			r.release(true)
			close(q.done)
			r.mu.Lock()
			lane := r.lanes[key]
			if len(lane) == 0 || retried {
				delete(r.lanes, key)
				r.mu.Unlock()
				r.handBack(lane)
				r.poke() // the sender's next event may be waiting for this one
				return
			}
			q, r.lanes[key] = lane[0], lane[1:]
			r.mu.Unlock()
		}
	}()
	return q.done
}

// handBack returns to the inbox the events that waited in a lane behind
// one that is to be tried again: stepped now, they would overtake it. The
// inbox gives none of them out again before the one they wait for.
func (r *Runtime) handBack(lane []queued) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, q := range lane {
		if err := r.o.Inbox.ReturnEvent(ctx, q.env); err != nil {
			r.log.ErrorContext(ctx, "settle event", "event", q.env.Event.ID, "err", err)
		}
		r.release(true)
		close(q.done)
	}
}

// handle steps env once and settles it: done, retried later, or failed.
// It reports whether env is to be tried again.
func (r *Runtime) handle(env Envelope) (retried bool) {
	ev := env.Event
	ctx, cancel := context.WithTimeout(r.work, r.o.StepTimeout)
	defer cancel()
	patient := r.patient(ev)
	rc := &Receipt{Envelope: env, Patient: patient}
	r.prepare(ctx, &ev)
	err := r.safely(withReceipt(ctx, rc), ev)
	// Settling must happen however the handling ended.
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	var serr error
	var panicked *panicError
	switch {
	case err == nil && rc.Settled():
	case err == nil && patient:
		// Its sender waits for the answer, and their next event must not
		// find this one still open.
		serr = r.o.Inbox.EventDone(sctx, env)
	case err == nil:
		// The step wrote nothing of its own (it would have settled the
		// event in its transaction): "done" waits for the next batch.
		r.settleLater(env)
	case errors.As(err, &panicked), env.Attempts >= r.o.Attempts:
		r.log.ErrorContext(sctx, "event failed for good", "platform", ev.From.Platform, "event", ev.ID,
			"kind", ev.Kind, "attempts", env.Attempts, "err", err)
		serr = r.o.Inbox.FailEvent(sctx, env, err.Error())
	default:
		wait := r.o.Backoff(env.Attempts)
		if r.work.Err() != nil {
			wait = 0 // shutting down: handed back for the next process
		}
		r.log.WarnContext(sctx, "event failed; trying again", "platform", ev.From.Platform, "event", ev.ID,
			"kind", ev.Kind, "attempt", env.Attempts, "in", wait, "err", err)
		serr = r.o.Inbox.RetryEvent(sctx, env, r.o.Clock().Add(wait), err.Error())
		retried = true
	}
	if serr != nil {
		// The claim runs out and the event is taken again: nothing is lost.
		r.log.ErrorContext(sctx, "settle event", "event", ev.ID, "err", serr)
	}
	return retried
}

// settleBatch is how many handled events are recorded done in one write,
// and settleEvery how long one waits for the others at most. An event
// handled in that window and not yet recorded when the process dies is
// stepped again once its claim runs out: a step that wrote nothing, so
// at worst its reply goes out twice.
const (
	settleBatch = 64
	settleEvery = 50 * time.Millisecond
)

// settleLater queues env to be recorded done with the next batch.
func (r *Runtime) settleLater(env Envelope) {
	r.mu.Lock()
	r.unsettled = append(r.unsettled, env)
	full := len(r.unsettled) >= settleBatch
	r.mu.Unlock()
	if full {
		r.wakeSettle()
	}
}

func (r *Runtime) wakeSettle() {
	select {
	case r.settleWake <- struct{}{}:
	default:
	}
}

// settle records the queued handled events done, in one write.
func (r *Runtime) settle(ctx context.Context) error {
	r.mu.Lock()
	envs := r.unsettled
	r.unsettled = nil
	r.mu.Unlock()
	if len(envs) == 0 {
		return nil
	}
	// Shutting down must not cut a batch short: it is what drain records.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.o.Inbox.EventsDone(ctx, envs); err != nil {
		// Tried again with the next batch; should the process die first,
		// their claims run out and they are stepped again: nothing is lost.
		r.mu.Lock()
		r.unsettled = append(envs, r.unsettled...)
		r.mu.Unlock()
		return fmt.Errorf("bot: settle %d events: %w", len(envs), err)
	}
	// A sender's next event may have been kept waiting behind one of these.
	r.poke()
	return nil
}

// patient reports whether ev came from a Patient adapter.
func (r *Runtime) patient(ev Event) bool {
	a, _ := r.Adapter(ev.From.Platform)
	_, ok := a.(Patient)
	return ok
}

// prepare completes an event before its step: a voice note's audio, which
// adapters fetch only after the platform was acknowledged.
func (r *Runtime) prepare(ctx context.Context, ev *Event) {
	if ev.Voice == nil || ev.Voice.Audio != nil {
		return
	}
	a, ok := r.Adapter(ev.From.Platform)
	if f, can := a.(VoiceFetcher); ok && can {
		if err := f.FetchVoice(ctx, ev); err != nil {
			// The handler keeps the note without audio and tells the person.
			r.log.WarnContext(ctx, "voice download failed", "platform", ev.From.Platform, "event", ev.ID, "err", err)
		}
	}
}

// safely runs the handler, turning a panic into an error.
func (r *Runtime) safely(ctx context.Context, ev Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "event handler panicked", "platform", ev.From.Platform, "event", ev.ID,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = &panicError{value: p}
		}
	}()
	return r.o.Handler.Handle(ctx, ev)
}

type panicError struct{ value any }

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// Run runs the receivers of the registered adapters, the inbox poll and
// the jobs until ctx ends; then it drains: no new event is taken, the
// events being handled get Drain to finish, and those still running after
// that are handed back to the inbox. Run returns when all of that is done.
func (r *Runtime) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, a := range r.registered() {
		if rc, ok := a.(Receiver); ok {
			wg.Go(func() {
				if err := rc.Receive(ctx, r); err != nil && !errors.Is(err, context.Canceled) {
					r.log.Error("adapter stopped", "platform", a.Platform(), "err", err)
				}
			})
		}
	}
	r.mu.Lock()
	jobs := append([]Job{{Name: "inbox", Every: r.o.Poll, Run: r.Poll, Wake: r.wake},
		{Name: "inbox-settle", Every: settleEvery, Run: r.settle, Wake: r.settleWake}}, r.jobs...)
	r.mu.Unlock()
	for _, j := range jobs {
		wg.Go(func() { r.loop(ctx, j) })
	}
	<-ctx.Done()
	wg.Wait()
	return r.drain()
}

// loop runs one job until ctx ends.
func (r *Runtime) loop(ctx context.Context, j Job) {
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		r.runJob(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-j.Wake:
		}
	}
}

// ErrJobPanicked is what OnJob is told of a job's run that panicked (the
// runtime recovered and goes on).
var ErrJobPanicked = errors.New("panicked")

func (r *Runtime) runJob(ctx context.Context, j Job) {
	started := r.o.Clock()
	var err error
	defer func() {
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "job panicked", "job", j.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("bot: job %s: %w: %v", j.Name, ErrJobPanicked, p)
		}
		if r.o.OnJob != nil && ctx.Err() == nil {
			r.o.OnJob(j.Name, started, r.o.Clock().Sub(started), err)
		}
	}()
	if err = j.Run(ctx); err != nil && ctx.Err() == nil {
		r.log.ErrorContext(ctx, "job failed", "job", j.Name, "err", err)
	}
}

// Poll takes the due events the free workers can handle. The runtime
// calls it every Poll; it is exported for tests and tools that run the
// inbox by hand.
func (r *Runtime) Poll(ctx context.Context) error {
	// The slots are not held while the inbox is asked: an event coming in
	// meanwhile must find one, or it would wait for the next poll behind
	// its sender's later events.
	n := cap(r.slots) - len(r.slots)
	// Behind a backlog, workers come free one at a time and each poke
	// would take one event; waiting for a quarter of them to be free makes
	// a take serve several, which is what a take costs the database.
	if least := max(1, cap(r.slots)/4); n < least && (n == 0 || r.backlog.Load()) || r.draining() {
		return nil
	}
	now := r.o.Clock()
	// A take once asked for is finished, also when the runtime stops
	// meanwhile: cancelled half-way, its claims could be made on the
	// database and never come back here to be handed back.
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	envs, err := r.o.Inbox.TakeEvents(tctx, now, now.Add(r.o.Claim), n)
	if err != nil {
		return fmt.Errorf("bot: take events: %w", err)
	}
	// Fewer than asked for: nothing due is left that this take could
	// have had, and incoming events may take workers again directly.
	if len(envs) < n {
		r.backlog.Store(false)
	}
	for _, env := range envs {
		if r.acquire() {
			r.start(env)
			continue
		}
		// Taken by incoming events meanwhile, or the runtime is stopping:
		// handed back, due now.
		if err := r.o.Inbox.ReturnEvent(tctx, env); err != nil {
			r.log.WarnContext(ctx, "hand back event", "event", env.Event.ID, "err", err)
		}
	}
	return nil
}

// drain waits for the events in flight, at most Drain, then cancels what
// is left, which hands it back.
func (r *Runtime) drain() error {
	r.mu.Lock()
	r.stopping = true
	r.mu.Unlock()
	done := make(chan struct{})
	go func() { r.inflight.Wait(); close(done) }()
	timer := time.NewTimer(r.o.Drain)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		r.stopWork()
		<-done
		r.log.Warn("shutdown: events still being handled were handed back to the inbox")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.settle(ctx)
}

// draining reports whether the runtime stopped taking work.
func (r *Runtime) draining() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopping
}
