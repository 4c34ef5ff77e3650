import {
  ErrorCode,
  type HostInterfaceDef,
  hostInterfaceMac,
  InterfaceDefineFlags,
  type InterfaceDriver,
  type InterfaceLookup,
  type InterfaceRef,
  ListInterfacesFlags,
  parseHostInterfaceXml,
} from '@tsvirt/core';
import { checkFlags, testError } from './errors.js';
import type { TestState } from './state.js';

/** One host interface of the test driver: its definition and whether it is up. */
export interface TestInterface {
  def: HostInterfaceDef;
  active: boolean;
}

const refOf = (i: TestInterface): InterfaceRef => ({ name: i.def.name, mac: hostInterfaceMac(i.def) });
const byName = (a: TestInterface, b: TestInterface) => (a.def.name < b.def.name ? -1 : a.def.name > b.def.name ? 1 : 0);

/**
 * Host interfaces as libvirt 9.0's test driver keeps them: bookkeeping only. A transaction
 * (changeBegin) keeps a copy of every definition; a rollback puts the copies back, all of them
 * down, as libvirt's copy does not carry the up/down state.
 */
export class TestInterfaces implements InterfaceDriver {
  constructor(private readonly state: TestState) {}

  private find(name: string): TestInterface {
    const i = this.state.interfaces.find((x) => x.def.name === name);
    if (!i) throw testError(ErrorCode.NO_INTERFACE, `no interface with matching name '${name}'`);
    return i;
  }

  async listInterfaces(flags: number): Promise<InterfaceRef[]> {
    const filters = ListInterfacesFlags.ACTIVE | ListInterfacesFlags.INACTIVE;
    checkFlags(flags, filters, 'testConnectListAllInterfaces');
    const wanted = (i: TestInterface) =>
      (flags & filters) === 0 ||
      ((flags & ListInterfacesFlags.ACTIVE) !== 0 && i.active) ||
      ((flags & ListInterfacesFlags.INACTIVE) !== 0 && !i.active);
    return this.state.interfaces.filter(wanted).sort(byName).map(refOf);
  }

  async lookupInterface(by: InterfaceLookup): Promise<InterfaceRef> {
    if ('name' in by) return refOf(this.find(by.name));
    // libvirt compares case-insensitively, and an interface without a MAC matches every MAC
    // (its comparison treats the missing address as equal): two matches are an error.
    const wanted = by.mac.toLowerCase();
    const matches = this.state.interfaces.filter((i) => {
      const mac = hostInterfaceMac(i.def);
      return mac === '' || mac.toLowerCase() === wanted;
    });
    if (matches.length === 0) throw testError(ErrorCode.NO_INTERFACE, `no interface with matching mac '${by.mac}'`);
    if (matches.length > 1) throw testError(ErrorCode.MULTIPLE_INTERFACES);
    return { name: matches[0]!.def.name, mac: by.mac };
  }

  async getInterfaceXml(ref: InterfaceRef, flags: number): Promise<HostInterfaceDef> {
    checkFlags(flags, 0, 'testInterfaceGetXMLDesc');
    return this.find(ref.name).def;
  }

  /** A new name is defined down; an existing one keeps its state and takes the new definition. */
  async defineInterface(xml: string, flags: number): Promise<InterfaceRef> {
    checkFlags(flags, InterfaceDefineFlags.VALIDATE, 'testInterfaceDefineXML');
    const def = parseHostInterfaceXml(xml);
    const existing = this.state.interfaces.find((x) => x.def.name === def.name);
    if (existing) {
      existing.def = def;
      return refOf(existing);
    }
    const added: TestInterface = { def, active: false };
    this.state.interfaces.push(added);
    return refOf(added);
  }

  /** libvirt's test driver removes an interface whether it is up or not. */
  async undefineInterface(ref: InterfaceRef): Promise<void> {
    const i = this.find(ref.name);
    this.state.interfaces.splice(this.state.interfaces.indexOf(i), 1);
  }

  async createInterface(ref: InterfaceRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testInterfaceCreate');
    const i = this.find(ref.name);
    if (i.active) throw testError(ErrorCode.OPERATION_INVALID);
    i.active = true;
  }

  async destroyInterface(ref: InterfaceRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testInterfaceDestroy');
    const i = this.find(ref.name);
    if (!i.active) throw testError(ErrorCode.OPERATION_INVALID);
    i.active = false;
  }

  async isInterfaceActive(ref: InterfaceRef): Promise<boolean> {
    return this.find(ref.name).active;
  }

  async changeBegin(flags: number): Promise<void> {
    checkFlags(flags, 0, 'testInterfaceChangeBegin');
    if (this.state.interfaceBackup) {
      throw testError(ErrorCode.OPERATION_INVALID, 'there is another transaction running.');
    }
    this.state.interfaceBackup = this.state.interfaces.map((i) => ({ def: structuredClone(i.def), active: false }));
  }

  async changeCommit(flags: number): Promise<void> {
    checkFlags(flags, 0, 'testInterfaceChangeCommit');
    if (!this.state.interfaceBackup) {
      throw testError(ErrorCode.OPERATION_INVALID, 'no transaction running, nothing to be committed.');
    }
    this.state.interfaceBackup = undefined;
  }

  async changeRollback(flags: number): Promise<void> {
    checkFlags(flags, 0, 'testInterfaceChangeRollback');
    const backup = this.state.interfaceBackup;
    if (!backup) throw testError(ErrorCode.OPERATION_INVALID, 'no transaction running, nothing to rollback.');
    this.state.interfaces.splice(0, this.state.interfaces.length, ...backup);
    this.state.interfaceBackup = undefined;
  }
}
