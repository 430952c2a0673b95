/** Discord's message limits (https://discord.com/developers/docs/resources/message, …/channel#embed-limits). */
export const DISCORD_LIMITS = {
  content: 2_000,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footerText: 2_048,
  authorName: 256,
  /** Sum of title, description, field names/values, footer text and author name over all embeds of one message. */
  embedTotal: 6_000,
  embedsPerMessage: 10,
  threadName: 100,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  customId: 100,
  /** Longest value of a string option. */
  stringOption: 6_000,
} as const;

/** Mentions parsed from nothing: no user text or model output can ever ping @everyone, a role or a user. Deeply frozen, so one value serves every message. */
export const NO_MENTIONS: Readonly<{ parse: readonly never[] }> = Object.freeze({ parse: Object.freeze([]) });

/** For message replies: also do not ping the author of the message replied to. */
export const NO_MENTIONS_REPLY: Readonly<{ parse: readonly never[]; repliedUser: false }> = Object.freeze({ parse: NO_MENTIONS.parse, repliedUser: false });
