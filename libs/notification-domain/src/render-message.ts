import { assertNever } from '@fulfillment/kernel';
import type { NotificationKind } from './notification.js';

/** What each kind of message needs to know. Dates are ISO-8601 instants; null means "no date yet". */
export interface MessageFacts {
  readonly 'order-confirmed': {
    readonly orderId: string;
    /** What is set aside for the customer, per SKU. */
    readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  };
  readonly backordered: {
    readonly orderId: string;
    readonly sku: string;
    readonly quantity: number;
    /** 1-based place in the SKU's queue. */
    readonly position: number;
    readonly expectedAt: string | null;
  };
  readonly 'backorder-eta-changed': {
    readonly orderId: string;
    readonly sku: string;
    readonly previousExpectedAt: string | null;
    readonly expectedAt: string | null;
  };
  readonly 'backorder-allocated': {
    readonly orderId: string;
    readonly sku: string;
    readonly quantity: number;
    readonly remaining: number;
  };
  readonly 'out-of-stock': {
    readonly orderId: string;
    readonly sku: string;
    readonly quantity: number;
    readonly substitutes: readonly string[];
  };
  readonly 'order-cancelled': {
    readonly orderId: string;
    readonly reason: string;
    /** Some of the order had shipped before: the cancellation concerns the rest. */
    readonly partlyShipped?: boolean;
  };
  readonly 'back-in-stock': { readonly sku: string; readonly available: number; readonly orderId: string };
  readonly shipped: {
    readonly orderId: string;
    /** What left in this shipment, per SKU. */
    readonly items: readonly { readonly sku: string; readonly quantity: number }[];
    readonly carrier: string | null;
    readonly trackingId: string | null;
  };
  readonly 'line-cancelled': {
    readonly orderId: string;
    readonly sku: string;
    readonly quantity: number;
    readonly reason: string;
  };
  readonly 'substitute-accepted': {
    readonly orderId: string;
    readonly sku: string;
    readonly substituteSku: string;
    readonly quantity: number;
    /** Units of the substitute inventory set aside at once; the others are told as backordered or out of stock. */
    readonly setAside: number;
  };
  readonly 'backorder-expired': { readonly orderId: string; readonly sku: string; readonly quantity: number };
  readonly preordered: {
    readonly orderId: string;
    readonly sku: string;
    readonly quantity: number;
    readonly position: number;
    readonly expectedAt: string | null;
  };
}

export type MessageRequest = { [K in NotificationKind]: { readonly kind: K; readonly facts: MessageFacts[K] } }[NotificationKind];

export interface RenderedMessage {
  /** Email subject; also a short title for the in-app list. */
  readonly subject: string;
  readonly body: string;
}

export interface RenderOptions {
  /** IANA time zone the customer reads dates in. */
  readonly timeZone: string;
}

const DEFAULT_RENDER_OPTIONS: RenderOptions = { timeZone: 'UTC' };

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function calendarDay(iso: string, timeZone: string): { year: number; month: number; day: number } {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) {
    throw new RangeError(`Not an ISO-8601 date: ${JSON.stringify(iso)}`);
  }
  let formatter = dayFormatters.get(timeZone);
  if (formatter === undefined) {
    // Only the numbers come from Intl: the words are ours, so the wording does not move with the ICU version.
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const number = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  return { year: number('year'), month: number('month'), day: number('day') };
}

/** "Tuesday, 8 December 2026": the calendar day of `iso` in `timeZone`. */
export function formatHumanDate(iso: string, timeZone = DEFAULT_RENDER_OPTIONS.timeZone): string {
  const { year, month, day } = calendarDay(iso, timeZone);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday}, ${day} ${MONTHS[month - 1]} ${year}`;
}

/** Whether two promised dates read the same to the customer: both unknown, or the same calendar day. */
export function sameCustomerDate(a: string | null, b: string | null, timeZone: string): boolean {
  if (a === null || b === null) return a === b;
  return formatHumanDate(a, timeZone) === formatHumanDate(b, timeZone);
}

function units(quantity: number): string {
  return quantity === 1 ? '1 unit' : `${quantity} units`;
}

function isOrAre(quantity: number): string {
  return quantity === 1 ? 'is' : 'are';
}

function hasOrHave(quantity: number): string {
  return quantity === 1 ? 'has' : 'have';
}

/** "a", "a and b", "a, b and c" (or "or" instead of "and"). */
function listOf(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

function placeInLine(position: number): string {
  return position === 1 ? 'you are first in line' : `you are number ${position} in line`;
}

const YOU_CAN_CANCEL = 'If you would rather not wait, you can cancel the order.';

function renderRequest(request: MessageRequest, { timeZone }: RenderOptions): RenderedMessage {
  const date = (iso: string): string => formatHumanDate(iso, timeZone);
  /** When waiting units are expected, or `unknown` when inventory has no date. */
  const expectedBy = (quantity: number, expectedAt: string | null, unknown: string): string =>
    expectedAt === null ? unknown : `We expect ${quantity === 1 ? 'it' : 'them'} by ${date(expectedAt)}.`;
  switch (request.kind) {
    case 'order-confirmed': {
      const { orderId, items } = request.facts;
      const setAside = listOf(items.map((item) => `${units(item.quantity)} of ${item.sku}`), 'and');
      return {
        subject: `Your order ${orderId} is confirmed`,
        body: `Good news: your order ${orderId} is confirmed. We have set aside ${setAside} for you.`,
      };
    }
    case 'backordered': {
      const { orderId, sku, quantity, position, expectedAt } = request.facts;
      const place = placeInLine(position);
      const when = expectedBy(quantity, expectedAt, 'We have no delivery date yet; we will tell you as soon as we do.');
      return {
        subject: `${sku} is on backorder for order ${orderId}`,
        body:
          `${units(quantity)} of ${sku} on your order ${orderId} ${isOrAre(quantity)} on backorder: ` +
          `${place} for the next delivery. ${when} ${YOU_CAN_CANCEL}`,
      };
    }
    case 'backorder-eta-changed': {
      const { orderId, sku, previousExpectedAt, expectedAt } = request.facts;
      const subject = `New expected date for ${sku} on order ${orderId}`;
      const item = `the backordered ${sku} on your order ${orderId}`;
      if (expectedAt === null) {
        const was = previousExpectedAt === null ? '' : ` (it was ${date(previousExpectedAt)})`;
        return {
          subject,
          body:
            `We no longer have an expected date for ${item}${was}. ` +
            `We will tell you as soon as we have a new one. ${YOU_CAN_CANCEL}`,
        };
      }
      if (previousExpectedAt === null) {
        return { subject, body: `We now have a date for ${item}: we expect it by ${date(expectedAt)}.` };
      }
      if (Date.parse(expectedAt) < Date.parse(previousExpectedAt)) {
        return {
          subject,
          body: `Good news: ${item} is coming sooner. We now expect it by ${date(expectedAt)} instead of ${date(previousExpectedAt)}.`,
        };
      }
      return {
        subject,
        body:
          `Sorry: ${item} is delayed. We now expect it by ${date(expectedAt)} instead of ${date(previousExpectedAt)}. ` +
          YOU_CAN_CANCEL,
      };
    }
    case 'backorder-allocated': {
      const { orderId, sku, quantity, remaining } = request.facts;
      const rest =
        remaining === 0
          ? `That completes ${sku} on this order.`
          : `${remaining} more ${isOrAre(remaining)} still on backorder; we will tell you when ${remaining === 1 ? 'it arrives' : 'they arrive'}.`;
      return {
        subject: `${units(quantity)} of ${sku} arrived for order ${orderId}`,
        body: `${units(quantity)} of ${sku} for your order ${orderId} ${hasOrHave(quantity)} arrived and ${isOrAre(quantity)} set aside for you. ${rest}`,
      };
    }
    case 'out-of-stock': {
      const { orderId, sku, quantity, substitutes } = request.facts;
      const instead = substitutes.length === 0 ? '' : ` You could order ${listOf(substitutes, 'or')} instead.`;
      return {
        subject: `${sku} is out of stock for order ${orderId}`,
        body:
          `Sorry: ${sku} is out of stock and no restock is planned, so ${units(quantity)} of ${sku} ` +
          `on your order ${orderId} will not be filled.${instead} We will let you know when ${sku} is back in stock.`,
      };
    }
    case 'order-cancelled': {
      const { orderId, reason, partlyShipped } = request.facts;
      const why = reason.trim() === '' ? '' : ` Reason: ${reason.trim()}.`;
      if (partlyShipped === true) {
        return {
          subject: `The rest of your order ${orderId} is cancelled`,
          body:
            `What was still to ship on your order ${orderId} has been cancelled.${why} ` +
            'What has already shipped is on its way; nothing more from this order will be sent to you.',
        };
      }
      return {
        subject: `Your order ${orderId} is cancelled`,
        body: `Your order ${orderId} has been cancelled.${why} Nothing more from this order will be sent to you.`,
      };
    }
    case 'shipped': {
      const { orderId, items, carrier, trackingId } = request.facts;
      const what = listOf(items.map((item) => `${units(item.quantity)} of ${item.sku}`), 'and');
      const how = carrier === null ? '' : ` with ${carrier}`;
      const track = trackingId === null ? '' : ` Your tracking number is ${trackingId}.`;
      return {
        subject: `Part of your order ${orderId} has shipped`,
        body: `We have shipped ${what} from your order ${orderId}${how}.${track}`,
      };
    }
    case 'line-cancelled': {
      const { orderId, sku, quantity, reason } = request.facts;
      const why = reason.trim() === '' ? '' : ` Reason: ${reason.trim()}.`;
      return {
        subject: `${sku} on order ${orderId} is cancelled`,
        body: `${units(quantity)} of ${sku} on your order ${orderId} ${hasOrHave(quantity)} been cancelled.${why}`,
      };
    }
    case 'substitute-accepted': {
      const { orderId, sku, substituteSku, quantity, setAside } = request.facts;
      const chosen = `You chose ${substituteSku} instead of ${sku} on your order ${orderId}: ${units(quantity)}.`;
      const rest = quantity - setAside;
      const status =
        setAside === 0
          ? ` We will tell you when we can send ${quantity === 1 ? 'it' : 'them'}.`
          : rest === 0
            ? ` ${quantity === 1 ? 'It is' : 'They are'} set aside for you.`
            : ` ${units(setAside)} ${isOrAre(setAside)} set aside for you; we will tell you about the other ${rest}.`;
      return { subject: `${substituteSku} replaces ${sku} on order ${orderId}`, body: chosen + status };
    }
    case 'backorder-expired': {
      const { orderId, sku, quantity } = request.facts;
      return {
        subject: `The backorder of ${sku} on order ${orderId} has expired`,
        body:
          `Sorry: ${units(quantity)} of ${sku} on your order ${orderId} waited longer than we hold a backorder, ` +
          `so ${quantity === 1 ? 'it is' : 'they are'} cancelled. You will not be charged for ${quantity === 1 ? 'it' : 'them'}.`,
      };
    }
    case 'preordered': {
      const { orderId, sku, quantity, position, expectedAt } = request.facts;
      const place = placeInLine(position);
      const when = expectedBy(quantity, expectedAt, 'We will tell you the date as soon as we know it.');
      return {
        subject: `${sku} is preordered for order ${orderId}`,
        body:
          `${units(quantity)} of ${sku} on your order ${orderId} ${isOrAre(quantity)} preordered: ${place} when it ` +
          `is released. ${when}`,
      };
    }
    case 'back-in-stock': {
      const { sku, available, orderId } = request.facts;
      return {
        subject: `${sku} is back in stock`,
        body:
          `Good news: ${sku} is back in stock (${available} available right now). ` +
          `It was missing from your order ${orderId}; if you still want it, you can order it again.`,
      };
    }
    default:
      return assertNever(request);
  }
}

/** The customer-facing subject and body of one notification of `kind`. */
export function renderMessage<K extends NotificationKind>(
  kind: K,
  facts: MessageFacts[K],
  options: RenderOptions = DEFAULT_RENDER_OPTIONS,
): RenderedMessage {
  // The cast only restates what the signature already guarantees: `facts` belongs to `kind`.
  return renderRequest({ kind, facts } as MessageRequest, options);
}
