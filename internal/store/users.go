package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// User is a user of /user/create.
type User struct {
	ID           string
	ClientID     string
	ClientUserID string
	Token        string
	CreatedAt    time.Time
}

// EnsureUser returns the client's user with u's ClientUserID, storing u
// first when there is none. The INSERT that does nothing on a conflict
// decides which of concurrent creations stores its user.
func (s *DB) EnsureUser(ctx context.Context, u User) (User, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO users (user_id, client_id, client_user_id, user_token, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, client_user_id) DO NOTHING`,
		u.ID, u.ClientID, u.ClientUserID, u.Token, ms(u.CreatedAt)); err != nil {
		return User{}, err
	}
	var created int64
	err := s.db.QueryRow(ctx, `SELECT user_id, user_token, created_at FROM users WHERE client_id = ? AND client_user_id = ?`,
		u.ClientID, u.ClientUserID).Scan(&u.ID, &u.Token, &created)
	u.CreatedAt = fromMS(created)
	return u, err
}

// UserByToken returns the client's user with the given user token.
func (s *DB) UserByToken(ctx context.Context, clientID, token string) (User, error) {
	return s.user(ctx, clientID, "user_token", token)
}

// UserByID returns the client's user with the given user_id.
func (s *DB) UserByID(ctx context.Context, clientID, id string) (User, error) {
	return s.user(ctx, clientID, "user_id", id)
}

// user returns the client's user whose column (a constant of this file)
// holds value.
func (s *DB) user(ctx context.Context, clientID, column, value string) (User, error) {
	u := User{ClientID: clientID}
	var created int64
	err := s.db.QueryRow(ctx, `SELECT user_id, client_user_id, user_token, created_at FROM users WHERE client_id = ? AND `+column+` = ?`,
		clientID, value).Scan(&u.ID, &u.ClientUserID, &u.Token, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	u.CreatedAt = fromMS(created)
	return u, err
}
