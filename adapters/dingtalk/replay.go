package dingtalk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Claimer takes a key once, for every replica that shares it: the dialog
// store (Redis for several replicas, in-process memory for the embedded
// default) is one.
type Claimer interface {
	// Claim takes key for ttl; false means it was already taken.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release gives a claim up.
	Release(ctx context.Context, key string) error
}

// signTTL is how long a used robot signature is remembered: past it the
// timestamp is more than maxSkew old and refused anyway.
const signTTL = 2 * maxSkew

// errSignUsed is a robot callback whose timestamp and sign already came
// with another message.
var errSignUsed = errors.New("dingtalk: robot signature already used for another message")

// signatures takes each robot callback signature once. The robot sign
// covers only the timestamp, not the body, so a captured timestamp and
// sign could carry any message for as long as the timestamp is fresh. The
// first message to come with a pair owns it; the same message again is
// DingTalk delivering it again (the inbox keeps it once); another message
// with the pair is refused.
//
// But a busy robot gets two messages signed in one millisecond, and so
// under one pair: at 50 messages a second, one in twenty, and bursts
// bring more. Refused, they
// would be lost. So while a pair is at most sharedFor old a few more
// messages (sharedBy in all) may come with it; a captured pair replayed
// later, as a replay is, is refused.
type signatures struct{ claims Claimer }

// sharedBy and sharedFor bound how many messages may come with one pair,
// and how soon after its timestamp.
const (
	sharedBy  = 16
	sharedFor = 5 * time.Second
)

// take reports nil when msgID may be handled under the pair, errSignUsed
// when another message took it, and the store's error when it could not be
// asked. age is how old the pair's timestamp is.
func (s signatures) take(ctx context.Context, timestamp, sign, msgID string, age time.Duration) error {
	pair := signKey(timestamp, sign)
	mine := signKey(timestamp, sign, msgID)
	first, err := s.claims.Claim(ctx, mine, signTTL)
	if err != nil {
		return fmt.Errorf("dingtalk: claim robot signature: %w", err)
	}
	if !first {
		return nil // this message came with this pair before
	}
	owner, err := s.claims.Claim(ctx, pair, signTTL)
	for i := 1; err == nil && !owner && i < sharedBy && age <= sharedFor; i++ {
		owner, err = s.claims.Claim(ctx, signKey(timestamp, sign, strconv.Itoa(i)), signTTL)
	}
	if err == nil && owner {
		return nil
	}
	// Not ours: forget that this message came with the pair, or its retry
	// would pass as a redelivery.
	if rerr := s.claims.Release(ctx, mine); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("dingtalk: claim robot signature: %w", err)
	}
	return errSignUsed
}

// signKey is the claim key of a signature, or of a message under it;
// hashed, so a long message id makes no long key.
func signKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "dingtalk:robot-sign:" + hex.EncodeToString(h.Sum(nil))
}
