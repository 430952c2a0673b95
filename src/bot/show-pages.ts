import { ButtonStyle, ComponentType, InteractionCollector, InteractionType, type APIActionRowComponent, type APIButtonComponent, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { BotMessagePayload } from './format-answer.js';

/** How long the page buttons work: a little less than the 15 minutes an interaction token lives (the buttons are then removed). */
export const PAGE_BUTTONS_MS = 14 * 60_000;

/** ◀ / "2 of 3" / ▶ — custom ids `page:<key>:<page>`. */
export function pageButtons(key: string, page: number, count: number): APIActionRowComponent<APIButtonComponent> {
  const button = (id: string, label: string, disabled: boolean): APIButtonComponent => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `page:${key}:${id}`, label, disabled });
  return {
    type: ComponentType.ActionRow,
    components: [button(String(page - 1), '◀ Previous', page === 0), button('at', `${page + 1} of ${count}`, true), button(String(page + 1), 'Next ▶', page >= count - 1)],
  };
}

/**
 * Show pages in a deferred interaction reply: the first page, with page buttons when there are several.
 * Clicks (by anyone who sees the message) are handled by a collector of this interaction's buttons for PAGE_BUTTONS_MS;
 * then the buttons are removed. A button clicked after a restart is not answered (Discord says it failed).
 */
export async function showPages(interaction: ChatInputCommandInteraction, pages: readonly BotMessagePayload[], options: { logger: Logger; timeoutMs?: number }): Promise<void> {
  const at = (page: number): BotMessagePayload => (pages.length > 1 ? { ...pages[page]!, components: [pageButtons(interaction.id, page, pages.length)] } : pages[page]!);
  if (pages.length < 2) {
    await interaction.editReply({ ...at(0), content: at(0).content ?? '' });
    return;
  }
  // Listening before the buttons are shown: a click that arrives right after them is not missed.
  const prefix = `page:${interaction.id}:`;
  const collector = new InteractionCollector<ButtonInteraction>(interaction.client, {
    interactionType: InteractionType.MessageComponent,
    componentType: ComponentType.Button,
    time: options.timeoutMs ?? PAGE_BUTTONS_MS,
    filter: (click) => click.customId.startsWith(prefix),
  });
  collector.on('collect', (click) => {
    const page = Number(click.customId.slice(prefix.length));
    if (!Number.isInteger(page) || page < 0 || page >= pages.length) return;
    click.update(at(page)).catch((error: unknown) => options.logger.warn({ err: error, event: 'page-failed' }, 'turning a page failed'));
  });
  collector.on('end', () => {
    interaction.editReply({ components: [] }).catch(() => undefined);
  });
  try {
    await interaction.editReply({ ...at(0), content: at(0).content ?? '' });
  } catch (error) {
    collector.stop('failed');
    throw error;
  }
}
