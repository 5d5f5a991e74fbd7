#!/usr/bin/env node
import '../dist-cli/landlock-lens.mjs';
