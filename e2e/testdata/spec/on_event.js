const handler = Plaid.create({
 ...,
 onEvent: (eventName, metadata) => {
 // send event and metadata to self-hosted analytics
 analytics.send(eventName, metadata);
 },
});
