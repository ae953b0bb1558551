#!/usr/bin/env node
'use strict';
// The CLI and `lsp --stdio` live in the bundled dist/cli.js (built by `npm run build`).
require('../dist/cli.js');
