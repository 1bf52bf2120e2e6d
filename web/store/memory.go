package store

import (
	"context"
	"slices"
	"sync"
)

// Memory is a Store held in memory, lost when the process ends.
type Memory struct {
	mu     sync.Mutex
	items  map[string]Item
	tokens map[string]PublicToken
}

// NewMemory returns an empty Memory store.
func NewMemory() *Memory {
	return &Memory{items: map[string]Item{}, tokens: map[string]PublicToken{}}
}

// CreateItem implements Store.
func (m *Memory) CreateItem(_ context.Context, it Item) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	it.Accounts = slices.Clone(it.Accounts)
	m.items[it.ID] = it
	return nil
}

// Item implements Store.
func (m *Memory) Item(_ context.Context, id string) (Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[id]
	if !ok {
		return Item{}, ErrNotFound
	}
	it.Accounts = slices.Clone(it.Accounts)
	return it, nil
}

// ConnectItem implements Store.
func (m *Memory) ConnectItem(_ context.Context, itemID string, accountIDs []string, pt PublicToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[itemID]
	if !ok {
		return ErrNotFound
	}
	if it.Connected {
		return ErrConnected
	}
	it.Accounts = slices.DeleteFunc(slices.Clone(it.Accounts), func(a Account) bool {
		return !slices.Contains(accountIDs, a.ID)
	})
	it.Connected = true
	m.items[itemID] = it
	m.tokens[pt.Token] = pt
	return nil
}

// PublicToken implements Store.
func (m *Memory) PublicToken(_ context.Context, token string) (PublicToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	pt, ok := m.tokens[token]
	if !ok {
		return PublicToken{}, ErrNotFound
	}
	return pt, nil
}
