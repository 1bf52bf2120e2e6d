const handler = Plaid.create({
 ...,
 onExit: (error, metadata) => {
 // Save data from the onExit handler
 supportHandler.report({
 error: error,
 institution: metadata.institution,
 link_session_id: metadata.link_session_id,
 plaid_request_id: metadata.request_id,
 status: metadata.status,
 });
 },
});
