/**
 * An access file with the four-eyes features: helpdesk may act on the farm only with a ticket and a
 * senior's approval, and only in #helpdesk-rds (Slack CHELPRDS, Discord 555…) or the console; seniors
 * act freely on rds01–rds03 (rds04 they may only query); leads need two seniors' approvals for bulk, and
 * may use /f; auditors see everything and may act nowhere.
 */
export const SLACK_HELPDESK_CHANNEL = 'CHELPRDS';
export const DISCORD_HELPDESK_CHANNEL = '555555555555555001';

export const FOUR_EYES_ACCESS = {
  serverGroups: { farm: ['rds01', 'rds02', 'rds03', 'rds04'] },
  roles: {
    helpdesk: {
      grants: [
        { actions: ['query'], servers: ['@farm'] },
        {
          actions: ['logoff', 'disconnect', 'message'],
          servers: ['@farm'],
          approval: { by: ['seniors'], count: 1 },
          reason: 'required',
          reasonPattern: '^(INC|RITM)\\d{7}\\b',
          channels: [SLACK_HELPDESK_CHANNEL, DISCORD_HELPDESK_CHANNEL, 'console'],
        },
      ],
      members: { consoleUsers: ['alice'], slackUsers: ['UHELP1', 'UHELP2'], discordUsers: ['222222222222222222'] },
    },
    seniors: {
      grants: [
        { actions: ['query', 'logoff', 'disconnect', 'message', 'bulk', 'force'], servers: ['rds01', 'rds02', 'rds03'] },
        { actions: ['query'], servers: ['rds04'] },
      ],
      members: { consoleUsers: ['sam'], slackUsers: ['USENIOR1', 'USENIOR2', 'USENIOR4'], discordUsers: ['333333333333333333', '333333333333333334'] },
    },
    leads: {
      grants: [
        { actions: ['query', 'logoff', 'disconnect', 'force'], servers: ['@farm'] },
        { actions: ['bulk'], servers: ['@farm'], approval: { by: ['seniors'], count: 2 } },
      ],
      members: { slackUsers: ['ULEAD1'], discordUsers: ['444444444444444401'] },
    },
    auditors: {
      grants: [{ actions: ['query'], servers: ['@farm'] }],
      members: { slackUsers: ['UAUDIT1'], discordUsers: ['444444444444444402'] },
    },
  },
};
