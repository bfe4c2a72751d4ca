package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/apiclient"
	"github.com/perfbot/perfbot/internal/dialog"
)

// ErrBadRef is returned by Update for a MessageRef this adapter did not
// make; a bot.ErrPermanent refusal.
var ErrBadRef = fmt.Errorf("slack: not a Slack message ref (%w)", bot.ErrPermanent)

// Options configures an Adapter. Only Config is required.
type Options struct {
	Config Config
	Logger *slog.Logger
	Clock  func() time.Time
	// Sleep waits d or until ctx ends; it paces rate-limited calls. Nil
	// means a timer; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// Registerer takes the adapter's metrics; nil keeps them unregistered.
	Registerer prometheus.Registerer
	// Dialog, when set, shares the direct-message channel of each user
	// between replicas, so they open it once.
	Dialog     dialog.Store
	HTTPClient *http.Client
	// MaxAudio caps the voice clips downloaded, in bytes; a bigger clip is
	// handed on without its audio. Zero means DefaultMaxAudio (25 MiB).
	MaxAudio int
	// MaxImage caps the images sent, in bytes; a bigger one is refused for
	// good. Zero means MaxImageBytes, Slack's own limit.
	MaxImage int
}

// Adapter is the Slack platform. It is safe for concurrent use.
type Adapter struct {
	cfg      Config
	api      *slackapi.Client
	log      *slog.Logger
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	metrics  *metrics
	limits   *limiter
	dms      *dmCache
	triggers *triggers
	http     *http.Client // downloads files
	maxAudio int
	maxImage int
	verifier verifier
	// byUserID holds the workspaces (team ids) found to refuse a user id
	// as chat.postMessage's channel.
	byUserID sync.Map
}

// New returns an Adapter for opts.Config.
func New(opts Options) (*Adapter, error) {
	cfg := opts.Config
	if cfg.BotToken == "" {
		return nil, errors.New("slack: SLACK_BOT_TOKEN is not set")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	a := &Adapter{
		cfg:     cfg,
		log:     opts.Logger,
		now:     opts.Clock,
		sleep:   opts.Sleep,
		metrics: newMetrics(opts.Registerer),
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.sleep == nil {
		a.sleep = sleepCtx
	}
	a.limits = newLimiter(a.now)
	a.dms = &dmCache{store: opts.Dialog, mem: map[string]string{}}
	a.triggers = newTriggers(a.now)
	a.maxAudio = cmpOr(opts.MaxAudio, DefaultMaxAudio)
	a.maxImage = min(cmpOr(opts.MaxImage, MaxImageBytes), MaxImageBytes)
	a.http = opts.HTTPClient
	if a.http == nil {
		a.http = &http.Client{Timeout: audioTimeout}
	}
	a.verifier = verifier{secret: cfg.SigningSecret, now: a.now}
	apiOpts := []slackapi.Option{slackapi.OptionAPIURL(cfg.APIURL)}
	if cfg.AppToken != "" {
		apiOpts = append(apiOpts, slackapi.OptionAppLevelToken(cfg.AppToken))
	}
	if opts.HTTPClient != nil {
		apiOpts = append(apiOpts, slackapi.OptionHTTPClient(opts.HTTPClient))
	} else {
		apiOpts = append(apiOpts, slackapi.OptionHTTPClient(apiclient.New(0)))
	}
	a.api = slackapi.New(cfg.BotToken, apiOpts...)
	return a, nil
}

func cmpOr(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// Platform returns bot.Slack.
func (a *Adapter) Platform() bot.Platform { return bot.Slack }

// Send posts msg to a person's direct conversation with the app, or to
// msg.To.Channel, and returns a ref for Update. A msg.Replace is updated in
// place instead when it can be.
func (a *Adapter) Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	if msg.Replace != "" {
		if err := a.Update(ctx, msg.Replace, msg); err == nil {
			return msg.Replace, nil
		} else if !errors.Is(err, ErrBadRef) {
			a.log.WarnContext(ctx, "slack: update failed, sending anew", "err", err)
		}
	}
	blocks, fallback := render(msg)
	// post posts to channel, paced (and logged) as key: a person's direct
	// conversation is one channel to Slack, whether named by the user id
	// or the D... id.
	post := func(ctx context.Context, channel, key string) (string, string, error) {
		var posted, ts string
		err := a.call(ctx, "chat.postMessage", key, func(ctx context.Context) error {
			var err error
			posted, ts, err = a.api.PostMessageContext(ctx, channel,
				slackapi.MsgOptionBlocks(blocks...), slackapi.MsgOptionText(fallback, false))
			return err
		})
		return cmp.Or(posted, channel), ts, err
	}
	if msg.To.IsChannel() {
		channel, ts, err := post(ctx, msg.To.Channel, msg.To.Channel)
		if err != nil {
			return "", err
		}
		return makeRef(channel, ts), nil
	}
	channel, ts, err := a.direct(ctx, msg.To, post)
	if err != nil {
		return "", err
	}
	return makeRef(channel, ts), nil
}

// direct posts to a person's direct conversation with the app. Slack opens
// it when chat.postMessage names the user, and answers with its D... id,
// kept for later messages and for chat.update; so a broadcast costs one
// chat.postMessage a person, not also a conversations.open (Tier 3, about
// 50 a minute). conversations.open is only the fallback for a workspace
// that does not take a user id (channel_not_found). A person whose app
// Messages tab is disabled (messages_tab_disabled) cannot be written to at
// all: that is a permanent refusal, as Slack's other errors are.
func (a *Adapter) direct(ctx context.Context, to bot.Address, post func(ctx context.Context, channel, key string) (string, string, error)) (string, string, error) {
	if to.UserID == "" {
		return "", "", errors.New("slack: send: no recipient")
	}
	if ch, ok := a.dms.get(ctx, to.Tenant, to.UserID); ok {
		return post(ctx, ch, to.UserID)
	}
	_, refuses := a.byUserID.Load(to.Tenant)
	var (
		channel, ts string
		err         error
	)
	if !refuses {
		channel, ts, err = post(ctx, to.UserID, to.UserID)
	}
	if refuses || slackError(err) == "channel_not_found" {
		var ch string
		if ch, err = a.open(ctx, to.UserID); err != nil {
			return "", "", err
		}
		// The user exists, so it is the workspace that refuses user ids:
		// its next people are opened first, without the refused post.
		a.byUserID.Store(to.Tenant, true)
		channel, ts, err = post(ctx, ch, to.UserID)
	}
	if err != nil {
		return "", "", err
	}
	if channel != to.UserID {
		a.dms.put(ctx, to.Tenant, to.UserID, channel)
	}
	return channel, ts, nil
}

// open opens the direct conversation with user (conversations.open).
func (a *Adapter) open(ctx context.Context, user string) (string, error) {
	var ch *slackapi.Channel
	err := a.call(ctx, "conversations.open", "", func(ctx context.Context) error {
		var err error
		ch, _, _, err = a.api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}})
		return err
	})
	if err != nil {
		return "", err
	}
	return ch.ID, nil
}

// slackError is the error Slack answered a call with, or "".
func slackError(err error) string {
	if e, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		return e.Err
	}
	return ""
}

// Update replaces the message ref points to with msg (chat.update), so the
// buttons of a clicked card are gone.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	channel, ts, ok := parseRef(ref)
	if !ok {
		return fmt.Errorf("%w: %q", ErrBadRef, ref)
	}
	blocks, fallback := render(msg)
	return a.call(ctx, "chat.update", channel, func(ctx context.Context) error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts,
			slackapi.MsgOptionBlocks(blocks...), slackapi.MsgOptionText(fallback, false))
		return err
	})
}

// A MessageRef is "channel/ts": Slack names a message by both.
func makeRef(channel, ts string) bot.MessageRef { return bot.MessageRef(channel + "/" + ts) }

func parseRef(ref bot.MessageRef) (channel, ts string, ok bool) {
	channel, ts, ok = strings.Cut(string(ref), "/")
	return channel, ts, ok && channel != "" && ts != ""
}
