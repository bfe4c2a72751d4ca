package sqlstore

import (
	"context"
	"errors"
)

// SigningKey returns the secret kept under name, keeping fresh first when
// there is none. Replicas asking at once all read the one that was kept.
func (s *Store) SigningKey(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if len(fresh) == 0 {
		return nil, errors.New("sqlstore: signing key: no fresh secret")
	}
	_, err := s.exec(ctx, `INSERT INTO signing_keys (name, secret, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, fresh, s.d.timeArg(s.now()))
	if err != nil {
		return nil, wrap("signing key", err)
	}
	var secret []byte
	if err := s.queryRow(ctx, `SELECT secret FROM signing_keys WHERE name = ?`, name).Scan(&secret); err != nil {
		return nil, wrap("signing key", err)
	}
	return secret, nil
}
