package dingtalk

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/apiclient"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/pace"
)

// Options are what an Adapter needs besides its Config.
type Options struct {
	// Dialog caches the access token, shared by every replica.
	Dialog dialog.Store
	// Claims takes each robot callback signature once in HTTP mode, for
	// every replica; nil means Dialog.
	Claims Claimer
	Clock  func() time.Time
	// Sleep waits d or until ctx ends; it paces API calls and their
	// retries. Nil means a timer.
	Sleep  func(ctx context.Context, d time.Duration) error
	Logger *slog.Logger
	// Registerer takes the adapter's metrics; nil keeps them unregistered.
	Registerer prometheus.Registerer
	// HTTPClient calls DingTalk; nil means one with a 15 s timeout that
	// keeps its connections open (apiclient.New).
	HTTPClient *http.Client
	// StreamHost replaces DingTalk's stream gateway (tests).
	StreamHost string
	retry      retry
}

// Adapter is DingTalk. It is safe for concurrent use.
type Adapter struct {
	cfg     Config
	api     *api
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics
	events  *callbackCrypto // nil unless event subscriptions are configured
	signs   signatures
	stream  string
}

// New returns an Adapter for cfg (from LoadConfig).
func New(cfg Config, o Options) (*Adapter, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = apiclient.New(15 * time.Second)
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.retry.Attempts == 0 {
		o.retry = defaultRetry
	}
	a := &Adapter{
		cfg: cfg, log: o.Logger.With("platform", bot.DingTalk), now: o.Clock,
		metrics: newMetrics(o.Registerer), stream: o.StreamHost,
	}
	a.api = &api{cfg: cfg, http: o.HTTPClient, retry: o.retry, sleep: o.Sleep,
		pace:    pace.New(float64(cmp.Or(cfg.QPS, DefaultQPS)), o.Clock, o.Sleep),
		retried: func(r string) { a.metrics.retries.WithLabelValues(r).Inc() }}
	a.api.tokens = newTokens(cfg, o.Dialog, a.api, o.Clock)
	if o.Claims == nil && o.Dialog != nil {
		o.Claims = o.Dialog
	}
	if cfg.Mode == ModeHTTP && o.Claims == nil {
		return nil, errors.New("dingtalk: HTTP mode needs a dialog store to take each robot signature once")
	}
	a.signs = signatures{claims: o.Claims}
	if cfg.CallbackToken != "" {
		var err error
		if a.events, err = newCallbackCrypto(cfg.CallbackToken, cfg.CallbackAESKey, cfg.CorpID, cfg.ClientID); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Platform returns bot.DingTalk.
func (a *Adapter) Platform() bot.Platform { return bot.DingTalk }

// identity is the DingTalk account of staff id userID.
func (a *Adapter) identity(userID string) bot.Identity {
	return bot.Identity{Platform: bot.DingTalk, Tenant: a.cfg.CorpID, UserID: userID}
}

type metrics struct {
	failed  *prometheus.CounterVec // recipients DingTalk refused, by reason
	retries *prometheus.CounterVec // API calls retried, by reason
	refused prometheus.Counter     // events not taken in, delivered again by DingTalk
}

func newMetrics(r prometheus.Registerer) *metrics {
	m := &metrics{
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_dingtalk_failed_recipients_total",
			Help: "Recipients DingTalk refused a message for, by reason (invalid, flow_controlled).",
		}, []string{"reason"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_dingtalk_api_retries_total",
			Help: "DingTalk API calls retried, by reason (rate_limit, token).",
		}, []string{"reason"}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_dingtalk_events_refused_total",
			Help: "DingTalk events not taken in (refused, so DingTalk delivers them again).",
		}),
	}
	if r != nil {
		r.MustRegister(m.failed, m.retries, m.refused)
	}
	return m
}
