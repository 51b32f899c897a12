// Says in one line whether this Node.js is new enough for kendis-jira (20.19+), and how to get one.
// CommonJS and old syntax on purpose: it must run on the old Node it is there to catch.
var parts = process.versions.node.split('.').map(Number);
if (parts[0] < 20 || (parts[0] === 20 && parts[1] < 19)) {
  console.error(
    'Node.js ' +
      process.versions.node +
      ' is too old: kendis-jira needs 20.19 or newer. ' +
      'Debian and Ubuntu ship older ones: install a current release from https://nodejs.org/en/download (or with nvm: `nvm install 20`).',
  );
  process.exit(1);
}
