package hook

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// HubSpot's webhook headers.
const (
	headerHubSpotSignature = "X-HubSpot-Signature-v3"
	headerHubSpotTimestamp = "X-HubSpot-Request-Timestamp"
)

// HubSpotStage is the occurrence HubSpot reports: a deal moved to another
// stage of its pipeline (Stage says which; closedwon is the default
// pipeline's "Closed won").
const HubSpotStage = "deal.stage_changed"

// HubSpot takes an app's webhook subscription to deal.propertyChange on
// dealstage. Each request is signed with X-HubSpot-Signature-v3: the base64
// HMAC-SHA256, under the app's client secret, of method + URI + body +
// X-HubSpot-Request-Timestamp (unix milliseconds); a timestamp older than
// five minutes is refused. HubSpot signs the URI it posts to, so behind a
// proxy BaseURL must be perfbot's public URL.
type HubSpot struct {
	Secret  string
	BaseURL string // e.g. https://perfbot.example.com; empty: the request's own
}

func (HubSpot) Name() string { return string(bot.HubSpot) }

func (HubSpot) Events() []string { return []string{HubSpotStage} }

// hubspotMaxAge is how old a signed request may be.
const hubspotMaxAge = 5 * time.Minute

func (s HubSpot) Verify(r *http.Request, body []byte, now time.Time) error {
	ts := r.Header.Get(headerHubSpotTimestamp)
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return &AuthError{headerHubSpotTimestamp, "missing or not unix milliseconds"}
	}
	// Older than five minutes is a replay; a little ahead is clock skew.
	if age := now.Sub(time.UnixMilli(ms)); age > hubspotMaxAge || age < -hubspotMaxAge {
		return &AuthError{headerHubSpotTimestamp, "more than 5 minutes from perfbot's clock: an old request, or a clock that is off"}
	}
	sum, err := base64.StdEncoding.DecodeString(r.Header.Get(headerHubSpotSignature))
	if err != nil || len(sum) == 0 {
		return &AuthError{headerHubSpotSignature, "missing or not base64"}
	}
	want := hmacSHA256(s.Secret, []byte(r.Method), []byte(s.uri(r)), body, []byte(ts))
	if !hmac.Equal(sum, want) {
		return &AuthError{headerHubSpotSignature, "the signature does not match: check the app's client secret and that the webhook's target URL is perfbot's public URL (PERFBOT_PUBLIC_URL)"}
	}
	return nil
}

// uri is the URL HubSpot signed: the target URL configured in the app.
func (s HubSpot) uri(r *http.Request) string {
	base := strings.TrimSuffix(s.BaseURL, "/")
	if base == "" {
		scheme := "https"
		if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
			scheme = "http"
		}
		base = scheme + "://" + r.Host
	}
	return base + r.URL.RequestURI()
}

// hubspotEvent is one notification of a batch.
type hubspotEvent struct {
	EventID          json.Number `json:"eventId"`
	PortalID         json.Number `json:"portalId"`
	ObjectID         json.Number `json:"objectId"`
	SubscriptionType string      `json:"subscriptionType"`
	PropertyName     string      `json:"propertyName"`
	PropertyValue    string      `json:"propertyValue"`
	SourceID         string      `json:"sourceId"`
}

func (HubSpot) Decode(_ http.Header, body []byte) (Delivery, error) {
	var batch []hubspotEvent
	if err := json.Unmarshal(body, &batch); err != nil {
		return Delivery{}, fmt.Errorf("hook: hubspot batch: %w", err)
	}
	var d Delivery
	for _, e := range batch {
		if e.SubscriptionType != "deal.propertyChange" || e.PropertyName != "dealstage" || e.EventID == "" {
			continue
		}
		// HubSpot retries with the same eventId; ids are the portal's own.
		o := Occurrence{Key: e.PortalID.String() + ":" + e.EventID.String(), Event: HubSpotStage, Stage: e.PropertyValue,
			Title: "Deal " + e.ObjectID.String()}
		if e.PortalID != "" && e.ObjectID != "" {
			o.URL = "https://app.hubspot.com/contacts/" + e.PortalID.String() + "/record/0-3/" + e.ObjectID.String()
		}
		// The user who moved the deal; a workflow or import names none.
		if user, ok := strings.CutPrefix(e.SourceID, "userId:"); ok {
			o.Accounts = accounts(bot.HubSpot, user)
		}
		d.Events = append(d.Events, o)
	}
	if len(d.Events) > 0 {
		d.ID = "batch" // each occurrence has its own key
	}
	return d, nil
}
