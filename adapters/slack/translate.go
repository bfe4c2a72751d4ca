package slack

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// envelope is an Events API callback, as posted over HTTP and as the
// payload of a Socket Mode events_api envelope.
type envelope struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	TeamID    string          `json:"team_id"`
	EventID   string          `json:"event_id"`
	EventTime int64           `json:"event_time"`
	Event     json.RawMessage `json:"event"`
}

// messageEvent is the inner event of message.im (and of the other message.*
// events, should the app be subscribed to them).
type messageEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	TS          string `json:"ts"`
	BotID       string `json:"bot_id"`
	Team        string `json:"team"`
	// Files are what a file_share carries: a voice clip among them.
	Files []sharedFile `json:"files"`
}

// fromCallback translates an event_callback. ok is false for what perfbot
// does not act on: other event types, edits and deletions, and messages
// from bots, its own among them, and callbacks without the event_id that
// tells Slack's retries apart. A voice clip becomes a KindVoice event
// still without its audio, which is at clip.
func fromCallback(env envelope) (ev bot.Event, clip *clipURL, ok bool) {
	var m messageEvent
	if env.Type != "event_callback" || env.EventID == "" || json.Unmarshal(env.Event, &m) != nil || m.Type != "message" {
		return bot.Event{}, nil, false
	}
	if m.BotID != "" || m.User == "" {
		return bot.Event{}, nil, false
	}
	ev = bot.Event{
		// event_id is what Slack keeps across its retries.
		ID:   env.EventID,
		From: identity(cmp.Or(env.TeamID, m.Team), m.User),
		At:   slackTime(m.TS, env.EventTime),
	}
	switch m.Subtype {
	case "", "me_message", "file_share":
		// Clips arrive as file_share, or as a plain message with files.
		f, isClip := audioClip(m.Files)
		switch {
		case isClip:
			ev.Kind, ev.Text, ev.Voice = bot.KindVoice, unescape(m.Text), voiceOf(f)
			clip = &clipURL{url: cmp.Or(f.URLPrivateDownload, f.URLPrivate), size: f.Size}
		case m.Subtype == "file_share" || len(m.Files) > 0 && strings.TrimSpace(m.Text) == "":
			ev.Kind = bot.KindUnsupported
		default:
			ev.Kind, ev.Text = bot.KindMessage, unescape(m.Text)
		}
	default: // message_changed, message_deleted, channel_join, ...
		return bot.Event{}, nil, false
	}
	if m.ChannelType != "im" {
		if m.Channel == "" {
			return bot.Event{}, nil, false // a group message with nowhere to answer
		}
		ev.Group, ev.Channel = true, m.Channel
	}
	return ev, clip, true
}

// fromBlockActions translates a button click. The id is the action's
// action_ts, which Slack keeps when it delivers the same click again.
func fromBlockActions(cb slackapi.InteractionCallback) (ev bot.Event, ok bool) {
	if len(cb.ActionCallback.BlockActions) == 0 || cb.User.ID == "" {
		return bot.Event{}, false
	}
	act := cb.ActionCallback.BlockActions[0]
	id := cmp.Or(act.ActionTs, cb.TriggerID)
	if id == "" {
		return bot.Event{}, false // every such click would be taken for one
	}
	channel := cmp.Or(cb.Container.ChannelID, cb.Channel.ID)
	ev = bot.Event{
		ID:     "action:" + id,
		From:   identity(cmp.Or(cb.Team.ID, cb.User.TeamID), cb.User.ID),
		Kind:   bot.KindAction,
		Action: act.Value,
		At:     slackTime(act.ActionTs, 0),
	}
	if ts := cmp.Or(cb.Container.MessageTs, cb.Message.Timestamp); channel != "" && ts != "" {
		ev.Ref = makeRef(channel, ts)
	}
	if channel != "" && !isDM(channel) {
		ev.Group, ev.Channel = true, channel
	}
	return ev, true
}

// fromCommand translates a slash command into the text a person would type:
// /checkin is "checkin", and what follows it is typed as is ("/checkin help"
// is "help"); /kudos and /feedback keep their name ("kudos @ann thanks").
// Slash commands are seen by their sender alone, so the answer goes to
// their direct conversation wherever they typed it.
func fromCommand(cmd slackapi.SlashCommand, now time.Time) (ev bot.Event, ok bool) {
	name := strings.TrimPrefix(cmd.Command, "/")
	arg := unescape(strings.TrimSpace(cmd.Text))
	var text string
	switch name {
	case "checkin":
		text = "checkin"
		if arg != "" {
			text = arg
		}
	case "kudos", "feedback":
		text = strings.TrimSpace(name + " " + arg)
	default:
		return bot.Event{}, false
	}
	if cmd.UserID == "" || cmd.TriggerID == "" { // the trigger_id is the command's id
		return bot.Event{}, false
	}
	return bot.Event{
		ID:   "command:" + cmd.TriggerID,
		From: identity(cmd.TeamID, cmd.UserID),
		Kind: bot.KindMessage,
		Text: text,
		At:   now,
	}, true
}

func identity(team, user string) bot.Identity {
	return bot.Identity{Platform: bot.Slack, Tenant: team, UserID: user}
}

// isDM reports whether a channel id is a direct conversation (D...).
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// slackTime reads a Slack timestamp ("1700000000.000100"), or falls back
// to unix seconds.
func slackTime(ts string, unix int64) time.Time {
	if f, err := strconv.ParseFloat(ts, 64); err == nil && f > 0 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
	}
	if unix > 0 {
		return time.Unix(unix, 0).UTC()
	}
	return time.Time{}
}
