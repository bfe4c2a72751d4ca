package dingtalk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"

	"github.com/perfbot/perfbot/bot"
)

// Interactive cards use "StandardCard", the template DingTalk provides for
// robots, so the admin builds nothing in the card console. The request and
// card JSON follow open-dingtalk/dingtalk-stream-sdk-python
// (chatbot.py simple_reply_interactive_card_only_for_inner_app and
// update_card, interactive_card.py's header/contents/action samples with
// "request" buttons; commit 2386af9) and the request fields of
// alibabacloud-go/dingtalk im_1_0 SendRobotInteractiveCardRequest and
// UpdateRobotInteractiveCardRequest. DingTalk's page:
// https://open.dingtalk.com/document/orgapp/robots-send-interactive-cards.
// A click on a "request" button comes back as a card callback (topic
// /v1.0/card/instances/callback) on the stream connection, naming the
// clicked button's id in cardPrivateData.actionIds.
const (
	cardSendPath   = "/v1.0/im/v1.0/robot/interactiveCards/send"
	cardUpdatePath = "/v1.0/im/robots/interactiveCards"
	// cardRefPrefix marks the cardBizIds perfbot makes, which are the refs
	// of the cards it sent (and the outTrackId of their callbacks).
	cardRefPrefix = "pbcard"
	// buttonPrefix starts a button id; the rest is the value in hex, so the
	// id is only letters, digits and "_" whatever the value.
	buttonPrefix = "pb_"
)

// newCardID is a fresh cardBizId: 32 characters, well inside the 64 of the
// SDK's own (a sha256 in hex).
func newCardID() string { return cardRefPrefix + strings.ToLower(rand.Text()) }

func isCardRef(ref string) bool { return strings.HasPrefix(ref, cardRefPrefix) }

func buttonID(value string) string { return buttonPrefix + hex.EncodeToString([]byte(value)) }

func buttonValue(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, buttonPrefix)
	if !ok {
		return "", false
	}
	v, err := hex.DecodeString(rest)
	if err != nil || len(v) == 0 {
		return "", false
	}
	return string(v), true
}

// standardCard is the cardData of a StandardCard.
type standardCard struct {
	Config   cardConfig `json:"config"`
	Header   cardHeader `json:"header"`
	Contents []any      `json:"contents"`
}

type cardConfig struct {
	AutoLayout    bool `json:"autoLayout"`
	EnableForward bool `json:"enableForward"`
}

type cardHeader struct {
	Title cardText `json:"title"`
}

type cardText struct {
	Type string `json:"type"` // "text" (plain) or "markdown"
	Text string `json:"text"`
	ID   string `json:"id,omitempty"`
}

type cardAction struct {
	Type    string       `json:"type"` // "action"
	Actions []cardButton `json:"actions"`
	ID      string       `json:"id"`
}

type cardButton struct {
	Type       string   `json:"type"` // "button"
	Label      cardText `json:"label"`
	ActionType string   `json:"actionType"` // "request": the click calls back
	Status     string   `json:"status"`
	ID         string   `json:"id"`
}

// renderCard is m as a StandardCard's cardData, a JSON string as the API
// wants it: the title in the header, text and fields as escaped markdown,
// the buttons in one action row.
func renderCard(m bot.Message) string {
	c := standardCard{
		Config: cardConfig{AutoLayout: true},
		Header: cardHeader{Title: cardText{Type: "text", Text: notice(m)}},
	}
	if text := body(m); text != "" {
		c.Contents = append(c.Contents, cardText{Type: "markdown", Text: text, ID: "pb_text"})
	}
	if len(m.Buttons) > 0 {
		row := cardAction{Type: "action", ID: "pb_actions"}
		for _, b := range m.Buttons {
			id := buttonID(b.Value)
			row.Actions = append(row.Actions, cardButton{
				Type: "button", Label: cardText{Type: "text", Text: plain(b.Label), ID: id + "_label"},
				ActionType: "request", Status: buttonStatus(b.Style), ID: id,
			})
		}
		c.Contents = append(c.Contents, row)
	}
	raw, _ := json.Marshal(c)
	return string(raw)
}

func buttonStatus(s bot.ButtonStyle) string {
	switch s {
	case bot.StylePrimary:
		return "primary"
	case bot.StyleDanger:
		return "warning"
	}
	return "normal"
}

// sendCard sends m to userID's one-to-one chat with the robot as an
// interactive card; the ref is its cardBizId. The id is made once, so a
// retried call cannot leave two cards.
func (a *Adapter) sendCard(ctx context.Context, userID string, m bot.Message) (bot.MessageRef, error) {
	id := newCardID()
	receiver, _ := json.Marshal(map[string]string{"userId": userID})
	err := a.api.call(ctx, http.MethodPost, cardSendPath, map[string]any{
		"cardTemplateId": "StandardCard", "robotCode": a.cfg.RobotCode, "cardBizId": id,
		"singleChatReceiver": string(receiver), "cardData": renderCard(m), "pullStrategy": false,
	}, nil)
	if err != nil {
		return "", err
	}
	return bot.MessageRef(id), nil
}

// Update replaces a card perfbot sent (after a click: its text with the
// choice, without buttons). A ref that is not a card, such as an action
// card's, cannot be edited: msg is sent as a new message.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	if !isCardRef(string(ref)) {
		_, err := a.Send(ctx, msg)
		return err
	}
	return a.api.call(ctx, http.MethodPut, cardUpdatePath, map[string]any{
		"cardBizId": string(ref), "cardData": renderCard(msg),
	}, nil)
}

// onCardCallback is the stream handler for card callbacks: it hands the
// click on and answers with an empty response once it is kept (the card is
// updated through Update once the click is handled).
func (a *Adapter) onCardCallback(h bot.Handler) card.ICardCallbackHandler {
	return func(ctx context.Context, req *card.CardRequest) (*card.CardResponse, error) {
		ev, ok := a.cardEvent(req)
		if !ok {
			a.log.WarnContext(ctx, "card callback is no perfbot button click; ignored",
				"card", req.OutTrackId, "type", req.Type, "actions", req.CardActionData.CardPrivateData.ActionIdList)
			return &card.CardResponse{}, nil
		}
		if err := a.handOn(ctx, h, ev); err != nil {
			return nil, err
		}
		return &card.CardResponse{}, nil
	}
}

// cardEvent translates a click on a card perfbot sent. The id is the same
// for every delivery of the same click (a redelivery, another replica, a
// double tap), so the engine handles it once.
func (a *Adapter) cardEvent(req *card.CardRequest) (bot.Event, bool) {
	if req == nil || !isCardRef(req.OutTrackId) || req.UserId == "" || req.UserIdType > 1 ||
		(req.CorpId != "" && req.CorpId != a.cfg.CorpID) {
		return bot.Event{}, false
	}
	value, ok := clickedValue(req.CardActionData.CardPrivateData)
	if !ok {
		return bot.Event{}, false
	}
	return bot.Event{
		ID:     "card:" + req.OutTrackId + ":" + value + ":" + req.UserId,
		From:   a.identity(req.UserId),
		Kind:   bot.KindAction,
		Action: value,
		Ref:    bot.MessageRef(req.OutTrackId),
		At:     a.now(),
	}, true
}

// clickedValue finds the clicked button among the action ids, or failing
// that among the params' values.
func clickedValue(d card.CardPrivateData) (string, bool) {
	for _, id := range d.ActionIdList {
		if v, ok := buttonValue(id); ok {
			return v, true
		}
	}
	for _, p := range d.Params {
		if id, ok := p.(string); ok {
			if v, ok := buttonValue(id); ok {
				return v, true
			}
		}
	}
	return "", false
}
