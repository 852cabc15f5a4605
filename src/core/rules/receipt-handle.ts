// A receipt handle names the queue, the message row and which receive issued it (the row's
// receive count at that receive). A later receive bumps the count, so an older handle is
// recognisably stale without storing every handle. The random part keeps handles unguessable.
import { err } from '../errors.js';
import type { MessageRef } from '../model.js';
import { base64UrlToUtf8, utf8ToBase64Url } from './base64.js';

export interface ReceiptHandle extends MessageRef {
  queueId: number;
}

export function encodeReceiptHandle(handle: ReceiptHandle, token: string): string {
  return utf8ToBase64Url(`${handle.queueId}:${handle.seq}:${handle.receiveCount}:${token}`);
}

export function decodeReceiptHandle(text: string): ReceiptHandle {
  const parts = (text.length <= 1024 ? base64UrlToUtf8(text) : undefined)?.split(':');
  const nums = parts?.slice(0, 3).map(Number);
  if (!parts || parts.length !== 4 || !nums || nums.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw err('ReceiptHandleIsInvalid', `The input receipt handle "${text}" is not a valid receipt handle.`);
  }
  return { queueId: nums[0], seq: nums[1], receiveCount: nums[2] };
}
