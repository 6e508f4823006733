import { describe, expect, it } from 'vitest';
import { codeBlockText, commandText, escapeMrkdwn } from '../../adapters/slack/slack-text.js';

describe('Slack text in and out', () => {
  it('undoes the escaping of &, < and > in command text, &amp; last', () => {
    expect(commandText('rds01 3 Save &amp; go &lt;now&gt;')).toBe('rds01 3 Save & go <now>');
    expect(commandText('a &amp;lt; b')).toBe('a &lt; b');
  });
  it('reads Slack link and mention markup as what the user typed', () => {
    expect(commandText('<http://rds01.corp.example.com|rds01.corp.example.com> 3')).toBe('rds01.corp.example.com 3');
    expect(commandText('rds01 * hello <@U012ABC|alice> in <#C0HELP|helpdesk>')).toBe('rds01 * hello alice in helpdesk');
    expect(commandText('<https://example.com>')).toBe('https://example.com');
  });
  it('escapes for mrkdwn so nothing pings or links', () => {
    expect(escapeMrkdwn('<@U1> & <!channel>')).toBe('&lt;@U1&gt; &amp; &lt;!channel&gt;');
  });
  it('makes a code block that no backticks in the data can end early', () => {
    const block = codeBlockText(['a ``` b', '<x>']);
    expect(block.startsWith('```') && block.endsWith('```')).toBe(true);
    expect(block.slice(3, -3)).not.toContain('```');
    expect(block).toContain('&lt;x&gt;');
  });
});
