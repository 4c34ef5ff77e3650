/** The errors net-update raises, worded as libvirt's network configuration code words them. */
import { ErrorCode } from '@tsvirt/core';
import { networkError } from '../errors.js';

export const invalid = (detail: string) => networkError(ErrorCode.OPERATION_INVALID, detail);
export const noSupport = (detail: string) => networkError(ErrorCode.OPERATION_UNSUPPORTED, detail);

/** libvirt prints an absent attribute through printf's "%s" as "(null)". */
export const orNull = (v: string | undefined): string => v ?? '(null)';
