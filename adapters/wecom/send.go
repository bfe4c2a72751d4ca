package wecom

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// Errors of sending.
var (
	// ErrNotOurs is returned for an address on another platform or corp.
	ErrNotOurs = errors.New("wecom: address is not in this corp")
	// ErrInvalidUser is returned when WeCom reports the recipient invalid
	// (not in the corp, or outside the app's visible range).
	ErrInvalidUser = fmt.Errorf("wecom: recipient is invalid (%w)", bot.ErrPermanent)
)

// msgidRef prefixes the ref of a message that cannot be updated (WeCom edits
// only template cards), so Update knows without asking WeCom.
const msgidRef = "msgid:"

// MaxBatch is how many members one message/send reaches.
const MaxBatch = 1000

// sendRequest is message/send's body.
type sendRequest struct {
	ToUser  string `json:"touser"`
	AgentID int64  `json:"agentid"`
	payload
}

// sendAnswer is message/send's answer.
type sendAnswer struct {
	status
	InvalidUser  string `json:"invaliduser"`
	MsgID        string `json:"msgid"`
	ResponseCode string `json:"response_code"`
}

// Send delivers msg to a member (as text or template cards, see render) or
// to an app group chat (as text). The ref it returns is the last card's
// response_code, which Update can use, or the message id.
func (a *Adapter) Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	if err := a.ours(msg.To); err != nil {
		return "", err
	}
	if msg.Replace != "" {
		return a.replace(ctx, msg.Replace, msg)
	}
	if msg.To.IsChannel() {
		return a.sendChat(ctx, msg)
	}
	var ref bot.MessageRef
	parts := render(msg)
	for i, p := range parts[min(msg.Sent, len(parts)):] {
		ans, err := a.send(ctx, []string{msg.To.UserID}, p)
		if err != nil && msg.Sent+i > 0 {
			// The first parts are shown: sent again, they would be twice.
			return "", &bot.PartialError{Sent: msg.Sent + i, Err: err}
		}
		if err != nil {
			return "", err
		}
		if slices.Contains(ans.invalid(), strings.ToLower(msg.To.UserID)) {
			return "", fmt.Errorf("%w: %s", ErrInvalidUser, msg.To.UserID)
		}
		ref = msgidRef + bot.MessageRef(ans.MsgID)
		if ans.ResponseCode != "" {
			ref = bot.MessageRef(ans.ResponseCode)
		}
	}
	return ref, nil
}

// ours checks that to is a member or chat of our corp.
func (a *Adapter) ours(to bot.Address) error {
	switch {
	case to.Platform != bot.WeCom, to.Tenant != "" && to.Tenant != a.cfg.CorpID:
		return fmt.Errorf("%w: %s", ErrNotOurs, to.Identity)
	case to.UserID == "" && !to.IsChannel():
		return fmt.Errorf("%w: no member or chat", ErrNotOurs)
	}
	return nil
}

// send posts one message to members, within the per-member limit, and
// records the ones WeCom says are invalid.
func (a *Adapter) send(ctx context.Context, users []string, p payload) (sendAnswer, error) {
	if err := a.sleep(ctx, a.limiter.reserve(users...)); err != nil {
		return sendAnswer{}, fmt.Errorf("wecom: waiting for the per-member limit: %w", err)
	}
	body := sendRequest{ToUser: strings.Join(users, "|"), AgentID: a.cfg.AgentID, payload: p}
	var ans sendAnswer
	err := a.api.call(ctx, "message/send", func(ctx context.Context, token string) error {
		ans = sendAnswer{}
		return a.api.postJSON(ctx, "message/send", "/cgi-bin/message/send", token, body, &ans)
	})
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == codeAllInvalid {
		a.invalid(ctx, users)
		return sendAnswer{InvalidUser: strings.Join(users, "|")}, nil
	}
	if err != nil {
		return sendAnswer{}, err
	}
	a.invalid(ctx, ans.invalid())
	return ans, nil
}

// invalid is the members WeCom refused, in its lower case.
func (s sendAnswer) invalid() []string {
	if s.InvalidUser == "" {
		return nil
	}
	return strings.Split(strings.ToLower(s.InvalidUser), "|")
}

// invalid records members WeCom refused: they are not in the corp, or the
// app cannot see them. HR fixes that, so it is logged and counted.
func (a *Adapter) invalid(ctx context.Context, users []string) {
	if len(users) == 0 {
		return
	}
	a.metrics.invalidUsers.Add(float64(len(users)))
	a.log.WarnContext(ctx, "wecom refused recipients: not in the corp or outside the app's visible range",
		"count", len(users), "users", users[:min(len(users), 20)])
}

// chatRequest is appchat/send's body.
type chatRequest struct {
	ChatID string `json:"chatid"`
	payload
}

// sendChat posts msg to an app group chat. Chats take no template cards, so
// buttons are left out: a chat gets summaries, not choices.
func (a *Adapter) sendChat(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	for _, p := range texts(plain(msg)) {
		body := chatRequest{ChatID: msg.To.Channel, payload: p}
		err := a.api.call(ctx, "appchat/send", func(ctx context.Context, token string) error {
			return a.api.postJSON(ctx, "appchat/send", "/cgi-bin/appchat/send", token, body, &status{})
		})
		if err != nil {
			return "", err
		}
	}
	return "", nil
}

// updateRequest is message/update_template_card's body.
type updateRequest struct {
	UserIDs      []string     `json:"userids,omitempty"`
	AgentID      int64        `json:"agentid"`
	ResponseCode string       `json:"response_code"`
	TemplateCard templateCard `json:"template_card"`
}

// Update replaces the card a member clicked: ref is the click's
// ResponseCode (Event.Ref), single-use and valid for 72 hours. Without
// buttons the card shows the choice in place of its buttons. When WeCom
// cannot update it (the code is used or expired, or ref is not a card's),
// msg is sent as a new message instead, so the member still sees it.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	if err := a.ours(msg.To); err != nil {
		return err
	}
	_, err := a.replace(ctx, ref, msg)
	return err
}

func (a *Adapter) replace(ctx context.Context, ref bot.MessageRef, msg bot.Message) (bot.MessageRef, error) {
	msg.Replace = ""
	code := string(ref)
	if code == "" || strings.HasPrefix(code, msgidRef) || msg.To.IsChannel() {
		return a.Send(ctx, msg)
	}
	body := updateRequest{AgentID: a.cfg.AgentID, ResponseCode: code, TemplateCard: updatedCard(msg)}
	if msg.To.UserID != "" {
		body.UserIDs = []string{msg.To.UserID}
	}
	err := a.api.call(ctx, "message/update_template_card", func(ctx context.Context, token string) error {
		return a.api.postJSON(ctx, "message/update_template_card", "/cgi-bin/message/update_template_card", token, body, &status{})
	})
	var ae *APIError
	if errors.As(err, &ae) {
		a.log.InfoContext(ctx, "card not updated; sending the new state as a message", "errcode", ae.Code)
		return a.Send(ctx, msg)
	}
	if err != nil {
		return "", err
	}
	return ref, nil
}

// BatchResult is what a BatchSend did.
type BatchResult struct {
	Calls   int      // message/send calls made
	Invalid []string // members WeCom refused (lower case, as WeCom reports them)
}

// BatchSend sends msg to many members of the corp, up to MaxBatch per call,
// for broadcasts. The per-member limit still holds, and invalid members are
// recorded and returned, not an error. It stops at the first call that
// fails for good.
func (a *Adapter) BatchSend(ctx context.Context, userIDs []string, msg bot.Message) (BatchResult, error) {
	var res BatchResult
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	users = slices.DeleteFunc(users, func(u string) bool { return u == "" })
	for chunk := range slices.Chunk(users, MaxBatch) {
		for _, p := range render(msg) { // per chunk: each card needs its own task id
			ans, err := a.send(ctx, chunk, p)
			if err != nil {
				return res, err
			}
			res.Calls++
			res.Invalid = append(res.Invalid, ans.invalid()...)
		}
	}
	res.Invalid = slices.Compact(slices.Sorted(slices.Values(res.Invalid)))
	return res, nil
}

// BatchSize is MaxBatch: one message/send call.
func (a *Adapter) BatchSize() int { return MaxBatch }

// SendMany sends msg to members of the corp with BatchSend. Members WeCom
// reports invalid, and identities of another platform or corp, are refused.
func (a *Adapter) SendMany(ctx context.Context, to []bot.Identity, msg bot.Message) ([]bot.Refusal, error) {
	var (
		refused []bot.Refusal
		users   []string
		byUser  = map[string]bot.Identity{} // WeCom answers in lower case
	)
	for _, id := range to {
		if err := a.ours(bot.Address{Identity: id}); err != nil {
			refused = append(refused, bot.Refusal{Identity: id, Reason: "not in this corp"})
			continue
		}
		users = append(users, id.UserID)
		byUser[strings.ToLower(id.UserID)] = id
	}
	if len(users) == 0 {
		return refused, nil
	}
	msg.To, msg.Replace = bot.Address{}, ""
	res, err := a.BatchSend(ctx, users, msg)
	if err != nil {
		return nil, err
	}
	for _, u := range res.Invalid {
		if id, ok := byUser[u]; ok {
			refused = append(refused, bot.Refusal{Identity: id, Reason: "invalid"})
		}
	}
	return refused, nil
}
