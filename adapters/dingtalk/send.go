package dingtalk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/perfbot/perfbot/bot"
)

// maxBatch is the most user ids oToMessages/batchSend takes in one call.
const maxBatch = 20

// ErrRecipient is a recipient DingTalk refused: not a member of the
// organisation (invalid), or over its per-person limit even after retries
// (flow controlled).
var ErrRecipient = errors.New("dingtalk: recipient refused")

// Send delivers msg: to a person one-to-one through the robot, or to a group
// chat (msg.To.Channel is its openConversationId). With buttons, and
// DINGTALK_BUTTONS=card, a person gets an interactive card and the ref is
// its cardBizId; otherwise the ref is DingTalk's processQueryKey. A
// msg.Replace naming a card is updated instead, when it can be.
func (a *Adapter) Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	if err := a.check(msg.To); err != nil {
		return "", err
	}
	if ref := msg.Replace; isCardRef(string(ref)) {
		msg.Replace = ""
		err := a.Update(ctx, ref, msg)
		if err == nil {
			return ref, nil
		}
		a.log.WarnContext(ctx, "card not updated; sending anew", "card", ref, "err", err)
	}
	msg.Replace = ""
	if msg.To.IsChannel() {
		p := renderRobot(msg)
		var out struct {
			ProcessQueryKey string `json:"processQueryKey"`
		}
		err := a.api.call(ctx, http.MethodPost, "/v1.0/robot/groupMessages/send", map[string]string{
			"robotCode": a.cfg.RobotCode, "openConversationId": msg.To.Channel, "msgKey": p.MsgKey, "msgParam": p.MsgParam,
		}, &out)
		if err != nil {
			return "", err
		}
		return bot.MessageRef(out.ProcessQueryKey), nil
	}
	res, err := a.SendBatch(ctx, []string{msg.To.UserID}, msg)
	if err != nil {
		return "", err
	}
	if len(res.Failed) > 0 {
		kind := bot.ErrPermanent
		if res.Failed[0].Reason == "flow_controlled" {
			kind = bot.ErrTemporary
		}
		return "", fmt.Errorf("%w: %s (%s): %w", ErrRecipient, msg.To.UserID, res.Failed[0].Reason, kind)
	}
	return bot.MessageRef(res.Refs[0]), nil
}

// cards reports whether msg goes as interactive cards.
func (a *Adapter) cards(msg bot.Message) bool {
	return len(msg.Buttons) > 0 && a.cfg.Buttons == ButtonsCard
}

func (a *Adapter) check(to bot.Address) error {
	if to.Platform != "" && to.Platform != bot.DingTalk {
		return fmt.Errorf("dingtalk: send: address is on %q", to.Platform)
	}
	if to.Tenant != "" && to.Tenant != a.cfg.CorpID {
		return fmt.Errorf("dingtalk: send: address is in corp %q, not %q", to.Tenant, a.cfg.CorpID)
	}
	if !to.IsChannel() && to.UserID == "" {
		return errors.New("dingtalk: send: address has neither a user nor a group")
	}
	return nil
}

// BatchResult is what a batch send did.
type BatchResult struct {
	// Refs are DingTalk's processQueryKeys, one per call made, or the
	// cardBizIds of the cards sent.
	Refs []string
	// Failed are the recipients that did not get the message.
	Failed []Failure
}

// Failure is one recipient DingTalk refused.
type Failure struct {
	UserID string
	Reason string // "invalid" or "flow_controlled"
}

// SendBatch sends one message to many people (a broadcast) by DingTalk's
// limits: at most 20 user ids a call. Rate-limited calls are retried with
// backoff, and so are recipients DingTalk flow-controlled; those it still
// refuses are returned in Failed, logged and counted. The error is the first
// call that failed for good; the others are still attempted. A message with
// buttons sent as interactive cards is one card per person (a card has one
// receiver), each retried the same way.
func (a *Adapter) SendBatch(ctx context.Context, userIDs []string, msg bot.Message) (BatchResult, error) {
	var (
		res   BatchResult
		first error
	)
	userIDs = slices.Compact(slices.Sorted(slices.Values(userIDs)))
	if a.cards(msg) {
		for _, id := range userIDs {
			ref, err := a.sendCard(ctx, id, msg)
			if err != nil {
				a.log.ErrorContext(ctx, "card send failed", "user", id, "err", err)
				first = cmp.Or(first, err)
				continue
			}
			res.Refs = append(res.Refs, string(ref))
		}
		return res, first
	}
	return a.robotBatch(ctx, userIDs, renderRobot(msg))
}

// robotBatch sends p to sorted, distinct userIDs through oToMessages/batchSend,
// as SendBatch tells.
func (a *Adapter) robotBatch(ctx context.Context, userIDs []string, p robotMessage) (BatchResult, error) {
	var (
		res   BatchResult
		first error
	)
	for chunk := range slices.Chunk(userIDs, maxBatch) {
		pending := chunk
		for attempt := 0; len(pending) > 0; attempt++ {
			var out struct {
				ProcessQueryKey           string   `json:"processQueryKey"`
				InvalidStaffIDList        []string `json:"invalidStaffIdList"`
				FlowControlledStaffIDList []string `json:"flowControlledStaffIdList"`
			}
			err := a.api.call(ctx, http.MethodPost, "/v1.0/robot/oToMessages/batchSend", map[string]any{
				"robotCode": a.cfg.RobotCode, "userIds": pending, "msgKey": p.MsgKey, "msgParam": p.MsgParam,
			}, &out)
			if err != nil {
				a.log.ErrorContext(ctx, "batch send failed", "recipients", len(pending), "err", err)
				if first == nil {
					first = err
				}
				break
			}
			res.Refs = append(res.Refs, out.ProcessQueryKey)
			for _, id := range out.InvalidStaffIDList {
				res.Failed = append(res.Failed, a.failed(ctx, id, "invalid"))
			}
			pending = out.FlowControlledStaffIDList
			if len(pending) == 0 {
				break
			}
			if attempt+1 >= a.api.retry.Attempts {
				for _, id := range pending {
					res.Failed = append(res.Failed, a.failed(ctx, id, "flow_controlled"))
				}
				break
			}
			a.metrics.retries.WithLabelValues("flow_controlled").Inc()
			if err := a.api.sleep(ctx, a.api.retry.wait(attempt)); err != nil {
				for _, id := range pending {
					res.Failed = append(res.Failed, a.failed(ctx, id, "flow_controlled"))
				}
				break
			}
		}
	}
	return res, first
}

func (a *Adapter) failed(ctx context.Context, userID, reason string) Failure {
	a.metrics.failed.WithLabelValues(reason).Inc()
	a.log.WarnContext(ctx, "recipient refused", "user", userID, "reason", reason)
	return Failure{UserID: userID, Reason: reason}
}

// BatchSize is what one batchSend call takes.
func (a *Adapter) BatchSize() int { return maxBatch }

// SendMany sends msg to people of the organisation with SendBatch.
// DingTalk's invalid recipients are refused for good, flow-controlled ones
// for now (SendBatch already retried them). As cards (one call per person)
// a person whose call failed is refused for now, so the others are not
// sent again.
func (a *Adapter) SendMany(ctx context.Context, to []bot.Identity, msg bot.Message) ([]bot.Refusal, error) {
	var (
		refused []bot.Refusal
		users   []string
		byUser  = map[string]bot.Identity{}
	)
	for _, id := range to {
		if err := a.check(bot.Address{Identity: id}); err != nil {
			refused = append(refused, bot.Refusal{Identity: id, Reason: "not in this organisation"})
			continue
		}
		users = append(users, id.UserID)
		byUser[id.UserID] = id
	}
	if len(users) == 0 {
		return refused, nil
	}
	msg.To, msg.Replace = bot.Address{}, ""
	if a.cards(msg) {
		for _, u := range users {
			if _, err := a.sendCard(ctx, u, msg); err != nil {
				refused = append(refused, bot.Refusal{Identity: byUser[u], Reason: err.Error(), Temporary: true})
			}
		}
		return refused, nil
	}
	res, err := a.SendBatch(ctx, users, msg)
	if err != nil {
		return nil, err
	}
	for _, f := range res.Failed {
		if id, ok := byUser[f.UserID]; ok {
			refused = append(refused, bot.Refusal{Identity: id, Reason: f.Reason, Temporary: f.Reason == "flow_controlled"})
		}
	}
	return refused, nil
}
