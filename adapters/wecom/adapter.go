package wecom

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/apiclient"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/pace"
)

// Defaults of Options.
const (
	// DefaultRetries is how often a rate-limited call is retried.
	DefaultRetries = 6
	// DefaultInFlight bounds concurrent API calls, below WeCom's
	// concurrency limit (45033).
	DefaultInFlight = 5
	// MemberLimit is WeCom's per-member limit: 30 messages a minute from one app.
	MemberLimit = 30
)

// Options are what an Adapter needs besides its Config.
type Options struct {
	// Dialog keeps the access token, shared by every replica. Required.
	Dialog     dialog.Store
	Logger     *slog.Logger
	Registerer prometheus.Registerer // nil: metrics unregistered
	Clock      func() time.Time
	HTTPClient *http.Client
	// Sleep waits between retries and for the per-member limit; tests
	// replace it to move a fake clock instead.
	Sleep    func(ctx context.Context, d time.Duration) error
	Retries  int
	InFlight int
}

// Adapter is the WeCom platform for one self-built app. It implements
// bot.Adapter, bot.Updater and bot.Mounter, and is safe for concurrent use.
type Adapter struct {
	cfg     Config
	crypt   *Crypt
	api     *client
	limiter *memberLimiter
	log     *slog.Logger
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	metrics *metrics
}

// New returns an Adapter for cfg, as LoadConfig returned it.
func New(cfg Config, o Options) (*Adapter, error) {
	if o.Dialog == nil {
		return nil, fmt.Errorf("wecom: Options.Dialog is required")
	}
	crypt, err := NewCrypt(cfg.Token, cfg.EncodingAESKey, cfg.CorpID)
	if err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = apiclient.New(30 * time.Second)
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Retries <= 0 {
		o.Retries = DefaultRetries
	}
	if o.InFlight <= 0 {
		o.InFlight = DefaultInFlight
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	m := newMetrics(o.Registerer)
	a := &Adapter{
		cfg: cfg, crypt: crypt, log: o.Logger.With("platform", bot.WeCom), now: o.Clock, sleep: o.Sleep,
		metrics: m, limiter: newMemberLimiter(MemberLimit, time.Minute, o.Clock),
	}
	a.api = &client{
		base: cfg.APIBase, http: o.HTTPClient, sleep: o.Sleep, retries: o.Retries,
		slots: make(chan struct{}, o.InFlight), metrics: m,
		pace: pace.New(float64(cmp.Or(cfg.CallsPerMinute, DefaultCallsPerMinute))/60, o.Clock, o.Sleep),
	}
	a.api.tokens = &tokenSource{
		store: o.Dialog,
		key:   "token:wecom:" + cfg.CorpID + ":" + strconv.FormatInt(cfg.AgentID, 10),
		now:   o.Clock,
		fetch: func(ctx context.Context) (string, time.Duration, error) {
			return a.api.getToken(ctx, cfg.CorpID, cfg.Secret)
		},
	}
	return a, nil
}

// Platform returns bot.WeCom.
func (a *Adapter) Platform() bot.Platform { return bot.WeCom }

// identity is a member of our corp.
func (a *Adapter) identity(userID string) bot.Identity {
	return bot.Identity{Platform: bot.WeCom, Tenant: a.cfg.CorpID, UserID: userID}
}

// Config returns the adapter's configuration (log it as is: it hides the
// secrets).
func (a *Adapter) Config() Config { return a.cfg }
