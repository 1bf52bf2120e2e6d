// Package clientsettings keeps each client's Dashboard settings (table
// client_settings of the store's schema.sql) as JSON documents of package
// settings: one for the client and one for each link token the control
// API gave settings of its own. It is an aggregate of package store kept
// apart, on the store's database, so that package store stays within its
// size; like the store's, every lookup carries the client's ID, and the
// store's Reset forgets them with the rest of the client's data.
package clientsettings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// ClientScope is the scope of the client's own settings; any other scope
// is a link token.
const ClientScope = ""

// Store keeps the settings documents in a store.
type Store struct{ db *sqlbatch.DB }

// New returns the settings of st.
func New(st *store.DB) *Store { return &Store{db: st.Batches()} }

// Get returns the client's document for scope, or nil when there is none.
func (s *Store) Get(ctx context.Context, clientID, scope string) (json.RawMessage, error) {
	var doc string
	err := s.db.QueryRow(ctx, `SELECT doc FROM client_settings WHERE client_id = ? AND scope = ?`, clientID, scope).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return json.RawMessage(doc), nil
}

// Put stores doc as the client's document for scope, replacing the one
// before.
func (s *Store) Put(ctx context.Context, clientID, scope string, doc json.RawMessage, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO client_settings (client_id, scope, doc, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (client_id, scope) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
		clientID, scope, string(doc), at.UnixMilli())
	return err
}
