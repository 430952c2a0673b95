import { MessageFlags, type ButtonInteraction, type InteractionEditReplyOptions } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';
import { replyWithError } from './handle-interaction.js';

/**
 * A button whose reply only the clicker sees: acknowledged at once (deferred, ephemeral), then the
 * reply `produce` builds; a UserFacingError is shown as its message, anything else logged as `event`
 * and answered with the apology.
 */
export async function replyToButtonEphemerally(
  ctx: BotContext,
  interaction: ButtonInteraction,
  event: string,
  produce: () => Promise<InteractionEditReplyOptions>,
): Promise<void> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply(await produce());
  } catch (error) {
    if (!(error instanceof UserFacingError)) ctx.logger.error({ err: error, event }, `${event}: failed`);
    await replyWithError(interaction, error).catch(() => undefined);
  }
}
