// Starts `batchscale lsp` for formula files and for the Bicep, Terraform,
// JSON and Nextflow files that carry formulas.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = vscode.workspace.getConfiguration('batchscale');
  const command = config.get('path') || 'batchscale';
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { language: 'azure-batch-autoscale' },
      { scheme: 'file', pattern: '**/*.formula' },
      { scheme: 'file', pattern: '**/*.bicep' },
      { scheme: 'file', pattern: '**/*.tf' },
      { scheme: 'file', pattern: '**/*.{json,jsonc}' },
      { scheme: 'file', pattern: '**/*.config' },
    ],
    initializationOptions: { debounceMs: config.get('debounceMs') },
  };
  client = new LanguageClient('batchscale', 'batchscale', serverOptions, clientOptions);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
