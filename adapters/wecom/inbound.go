package wecom

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// envelope is a callback's outer XML: the ciphertext and whom it is for.
type envelope struct {
	ToUserName string `xml:"ToUserName"`
	AgentID    string `xml:"AgentID"`
	Encrypt    string `xml:"Encrypt"`
}

// inbound is a decrypted callback: a message or an event.
type inbound struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	MsgID        string   `xml:"MsgId"`
	AgentID      string   `xml:"AgentID"`
	Content      string   `xml:"Content"` // text
	MediaID      string   `xml:"MediaId"` // voice
	Format       string   `xml:"Format"`  // voice: "amr"
	Event        string   `xml:"Event"`
	EventKey     string   `xml:"EventKey"`     // template_card_event: the button's key
	TaskID       string   `xml:"TaskId"`       // template_card_event
	CardType     string   `xml:"CardType"`     // template_card_event
	ResponseCode string   `xml:"ResponseCode"` // template_card_event: for update_template_card
	// sys_approval_change: 审批申请状态变化回调通知.
	ApprovalInfo *approvalInfo `xml:"ApprovalInfo"`
}

// approvalInfo is a sys_approval_change event's approval.
type approvalInfo struct {
	SpNo     string `xml:"SpNo"`
	SpName   string `xml:"SpName"`
	SpStatus int    `xml:"SpStatus"` // 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付
	Applyer  struct {
		UserID string `xml:"UserId"`
	} `xml:"Applyer"`
}

// spApproved is the SpStatus of an approval that passed.
const spApproved = 2

// What a callback is to perfbot.
type disposition int

const (
	// handOn: an event for the engine.
	handOn disposition = iota
	// ignore: acknowledged and dropped. Events nobody typed (entering the
	// app, location reports, subscriptions) are not things to answer; the
	// engine has no kind for them, and answering each would make the bot
	// speak unprompted.
	ignore
)

// event maps a callback to a bot.Event. Event ids are what WeCom repeats
// when it retries: the MsgId of a message; for an event, which has none,
// who and when (FromUserName, CreateTime) plus what it was.
func (a *Adapter) event(in inbound) (bot.Event, disposition) {
	ev := bot.Event{
		ID:   in.MsgID,
		From: a.identity(in.FromUserName),
		At:   time.Unix(in.CreateTime, 0).UTC(),
	}
	switch in.MsgType {
	case "text":
		ev.Kind, ev.Text = bot.KindMessage, in.Content
	case "voice":
		format := strings.ToLower(in.Format)
		if format == "" {
			format = "amr"
		}
		ev.Kind, ev.Voice = bot.KindVoice, &bot.Voice{MediaID: in.MediaID, Format: format}
	case "event":
		ev.ID = strings.Join([]string{in.FromUserName, strconv.FormatInt(in.CreateTime, 10), in.Event, in.TaskID, in.EventKey}, ":")
		if in.Event == "sys_approval_change" {
			return a.approval(ev, in.ApprovalInfo)
		}
		if in.Event != "template_card_event" {
			return ev, ignore // enter_agent and the rest: see ignore
		}
		ev.Kind, ev.Action, ev.Ref = bot.KindAction, in.EventKey, bot.MessageRef(in.ResponseCode)
	default: // image, video, location, link, file, ...
		ev.Kind = bot.KindUnsupported
	}
	return ev, handOn
}

// approval maps a sys_approval_change event: it comes from "sys", on
// behalf of the applicant, once per change of the approval's status. Only
// a finished one is handed on (passed, refused, withdrawn); one still in
// progress is nothing yet.
func (a *Adapter) approval(ev bot.Event, info *approvalInfo) (bot.Event, disposition) {
	if info == nil || info.SpNo == "" || info.Applyer.UserID == "" || info.SpStatus == 1 {
		return ev, ignore
	}
	ev.ID = "approval:" + info.SpNo + ":" + strconv.Itoa(info.SpStatus)
	ev.From = a.identity(info.Applyer.UserID)
	ev.Kind = bot.KindApproval
	ev.Approval = &bot.Approval{ID: info.SpNo, Form: info.SpName, Approved: info.SpStatus == spApproved}
	return ev, handOn
}
