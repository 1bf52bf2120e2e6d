const handler = Plaid.create({ ... })

// Destroy and clean up the Link handler & iFrame
handler.destroy();
