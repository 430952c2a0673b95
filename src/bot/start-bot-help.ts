/** What `npm start` / `npm run start:sharded` print when DISCORD_TOKEN is not set. */
export const MISSING_TOKEN_HELP = `DISCORD_TOKEN is not set, so the Discord bot cannot start.

To set the bot up (the README's "Setting it up" section has the details):
  1. Open https://discord.com/developers/applications and create (or pick) an application.
  2. "Bot" → "Reset Token", copy it into a .env file in the project folder:  DISCORD_TOKEN=your-token
  3. "Bot" → "Privileged Gateway Intents" → turn on "Message Content Intent" (for thread follow-ups).
  4. Invite the bot: "OAuth2" → "URL Generator" → scopes bot + applications.commands, permissions
     View Channels, Send Messages, Send Messages in Threads, Create Public Threads, Embed Links,
     Read Message History (integer 309237730304).
  5. Put DISCORD_GUILD_ID=<your server id> in .env (instant command updates), then register the
     slash commands once:  npm run deploy-commands
  6. npm start

No Discord needed to try it: npx paperbot ask "How does VideoMAE V2 scale video masked autoencoders?"`;
