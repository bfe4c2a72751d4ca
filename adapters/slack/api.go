package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// Retry bounds for one Web API call.
const (
	// rateLimitBudget is the most a call waits in total on Retry-After
	// before it is given up on: long enough for any minute-tier limit.
	rateLimitBudget = 10 * time.Minute
	// transientAttempts bounds tries on a 5xx or a network error.
	transientAttempts = 3
)

// call runs one Web API call on method (to channel, if it has one), paced by
// the limiters. A rate-limited call waits for Retry-After and goes again; a
// 5xx or a network error is tried again a few times with backoff. A call
// given up on is logged with the channel and Slack's reason, and counted.
func (a *Adapter) call(ctx context.Context, method, channel string, fn func(context.Context) error) error {
	var waited time.Duration
	backoff := time.Second
	for attempt := 1; ; attempt++ {
		if err := a.pace(ctx, method, channel); err != nil {
			return fmt.Errorf("slack: %s: %w", method, err)
		}
		err := fn(ctx)
		if err == nil {
			return nil
		}
		reason, temporary := classify(err)
		retryable := temporary
		var wait time.Duration
		if rl, ok := errors.AsType[*slackapi.RateLimitedError](err); ok {
			wait = max(rl.RetryAfter, time.Second)
			// Retry-After is Slack's word for the whole method, not just us.
			a.limits.hold("method:"+method, methodRate(method), wait)
			retryable = waited+wait <= rateLimitBudget
			waited += wait
		} else if retryable {
			wait, backoff = backoff, backoff*4
			retryable = attempt < transientAttempts
		}
		if !retryable || ctx.Err() != nil {
			a.metrics.failures.WithLabelValues(method, reason).Inc()
			a.log.ErrorContext(ctx, "slack call failed", "method", method, "channel", channel,
				"reason", reason, "attempts", attempt, "err", err)
			return fmt.Errorf("slack: %s: %w", method, refusal(err, reason, temporary))
		}
		a.metrics.retries.WithLabelValues(method, reason).Inc()
		level := a.log.DebugContext
		if attempt > 1 {
			level = a.log.WarnContext // repeated: worth an operator's eye
		}
		level(ctx, "slack call retried", "method", method, "channel", channel, "reason", reason,
			"attempt", attempt, "wait", wait)
		if err := a.sleep(ctx, wait); err != nil {
			return fmt.Errorf("slack: %s: %w", method, err)
		}
	}
}

// pace waits until both the method and the channel may take another call.
func (a *Adapter) pace(ctx context.Context, method, channel string) error {
	wait := a.limits.reserve("method:"+method, methodRate(method))
	if channel != "" {
		wait = max(wait, a.limits.reserve("channel:"+channel, perChannel))
	}
	if wait == 0 {
		return nil
	}
	return a.sleep(ctx, wait)
}

// classify names why a call failed, for logs and metrics, and says whether
// trying again may help.
func classify(err error) (reason string, retryable bool) {
	if _, ok := errors.AsType[*slackapi.RateLimitedError](err); ok {
		return "rate_limited", true
	}
	if e, ok := errors.AsType[slackapi.StatusCodeError](err); ok {
		return fmt.Sprintf("http_%d", e.Code), e.Code >= 500
	}
	if e, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		return e.Err, slices.Contains(temporaryErrors, e.Err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "canceled", false
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return "network", true
	}
	return "error", false
}

// temporaryErrors are the errors Slack answers with when it is the one in
// trouble (docs.slack.dev, "Errors" of each Web API method).
var temporaryErrors = []string{"ratelimited", "service_unavailable", "internal_error", "fatal_error", "request_timeout"}

// refusal marks err, a call given up on, as bot.ErrTemporary or
// bot.ErrPermanent; a canceled call, or one failed in a way classify
// cannot name, is neither.
func refusal(err error, reason string, temporary bool) error {
	switch {
	case temporary:
		return fmt.Errorf("%w: %w", bot.ErrTemporary, err)
	case reason == "canceled" || reason == "error":
		return err
	}
	return fmt.Errorf("%w: %w", bot.ErrPermanent, err)
}

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
