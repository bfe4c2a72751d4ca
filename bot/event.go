package bot

import "time"

// EventKind says what an inbound event is.
type EventKind string

// The kinds of inbound event.
const (
	// KindMessage is text a person typed, or a slash command turned into text.
	KindMessage EventKind = "message"
	// KindAction is a click on a Button; Event.Action holds its Value.
	KindAction EventKind = "action"
	// KindVoice is a voice note; Event.Voice describes it.
	KindVoice EventKind = "voice"
	// KindUnsupported is anything else a platform delivered (a picture, a
	// sticker, a file): perfbot answers it politely and keeps going.
	KindUnsupported EventKind = "unsupported"
	// KindApproval is an approval (审批) on the platform that finished;
	// Event.Approval describes it and From is its applicant. Nobody typed
	// it: it is a business event, not a message to answer.
	KindApproval EventKind = "approval"
)

// Event is one thing a person did on a platform.
type Event struct {
	// ID is the platform's own id for the event. Platforms retry deliveries;
	// the same ID is handled once.
	ID   string
	From Identity
	Kind EventKind
	Text string
	// Action is the Value of the clicked Button, or of the submitted Form
	// (KindAction).
	Action string
	// Values are a submitted Form's answers by field key.
	Values map[string]string
	// Ref is the message the clicked button belonged to, so it can be replaced.
	Ref MessageRef
	// Group is true when the event came from a group chat or channel rather
	// than a direct conversation with the bot; Channel is that chat's id.
	Group   bool
	Channel string
	Voice   *Voice
	// Approval is the finished approval of a KindApproval event.
	Approval *Approval
	At       time.Time
}

// Approval is an approval instance that finished, as the platform tells
// it; what it means to perfbot is the hook rules' business.
type Approval struct {
	// ID is the platform's id of the instance (DingTalk's
	// processInstanceId, WeCom's SpNo).
	ID string
	// Form names the approval form: WeCom's SpName (转正申请), DingTalk's
	// processCode (PROC-…), which its callback gives instead of a name.
	Form  string
	Title string // DingTalk's title ("张三提交的转正申请"); empty on WeCom
	URL   string
	// Approved is true when it finished approved (DingTalk result agree,
	// WeCom SpStatus 2), false when refused, withdrawn or cancelled.
	Approved bool
}

// Voice is a voice note. The adapter downloads the audio before it hands
// the event on, so nothing depends on the platform's short-lived media ids.
type Voice struct {
	MediaID    string
	Format     string // as the platform names it: "amr", "m4a", "webm", ...
	Duration   time.Duration
	Audio      []byte
	Transcript string // the platform's own transcript, when it gives one
	// Source is where the adapter fetches Audio from when it handed the
	// note on without it (a VoiceFetcher); opaque to everything else.
	Source string
}
