import { type InterfaceDriver, type InterfaceRef, ListInterfacesFlags } from '../contract/interfaces.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { formatHostInterfaceXml } from '../xml/interface/format.js';
import type { ConnectionContext } from './context.js';
import { assertNonEmpty, assertWritable, method } from './guards.js';

/** A host network interface handle, as virInterfacePtr. */
export class Interface {
  constructor(
    private readonly ctx: ConnectionContext,
    readonly handle: InterfaceRef,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  /** The MAC the handle was listed or looked up with ('' for interfaces without one). */
  getMACString(): string {
    return this.handle.mac;
  }

  private op<K extends keyof InterfaceDriver>(name: K, api: string): NonNullable<InterfaceDriver[K]> {
    return method(this.ctx.driver.interfaces, name, api);
  }
  private write<K extends keyof InterfaceDriver>(name: K, api: string): NonNullable<InterfaceDriver[K]> {
    assertWritable(this.ctx.readOnly, api);
    return this.op(name, api);
  }

  /** virInterfaceGetXMLDesc: `flags` takes InterfaceXmlFlags. */
  async getXMLDesc(flags = 0): Promise<string> {
    return formatHostInterfaceXml(await this.op('getInterfaceXml', 'virInterfaceGetXMLDesc')(this.handle, flags));
  }
  async undefine(): Promise<void> {
    return this.write('undefineInterface', 'virInterfaceUndefine')(this.handle);
  }
  /** virInterfaceCreate: bring the interface up. */
  async create(flags = 0): Promise<void> {
    return this.write('createInterface', 'virInterfaceCreate')(this.handle, flags);
  }
  /** virInterfaceDestroy: bring the interface down. */
  async destroy(flags = 0): Promise<void> {
    return this.write('destroyInterface', 'virInterfaceDestroy')(this.handle, flags);
  }
  async isActive(): Promise<boolean> {
    return this.op('isInterfaceActive', 'virInterfaceIsActive')(this.handle);
  }
}

/** The connection-level virInterface* and virConnect*Interfaces calls, which Connection forwards. */
export class InterfaceCalls {
  constructor(private readonly ctx: ConnectionContext) {}

  private get group(): InterfaceDriver | undefined {
    return this.ctx.driver.interfaces;
  }
  private wrap(ref: InterfaceRef): Interface {
    return new Interface(this.ctx, ref);
  }

  async listAll(flags: number): Promise<Interface[]> {
    return (await method(this.group, 'listInterfaces', 'virConnectListAllInterfaces')(flags)).map((r) => this.wrap(r));
  }
  /** virConnectNumOfInterfaces / virConnectNumOfDefinedInterfaces. */
  async count(active: boolean): Promise<number> {
    const api = active ? 'virConnectNumOfInterfaces' : 'virConnectNumOfDefinedInterfaces';
    return (await method(this.group, 'listInterfaces', api)(stateFlag(active))).length;
  }
  /** virConnectListInterfaces / virConnectListDefinedInterfaces: at most `maxnames` names. */
  async names(active: boolean, maxnames: number): Promise<string[]> {
    const api = active ? 'virConnectListInterfaces' : 'virConnectListDefinedInterfaces';
    if (!Number.isInteger(maxnames) || maxnames < 0) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.INTERFACE,
        message: `maxnames in ${api} must be greater than or equal to 0`,
      });
    }
    const refs = await method(this.group, 'listInterfaces', api)(stateFlag(active));
    return refs.slice(0, maxnames).map((r) => r.name);
  }
  async lookupByName(name: string): Promise<Interface> {
    assertNonEmpty(name, 'name', 'virInterfaceLookupByName');
    return this.wrap(await method(this.group, 'lookupInterface', 'virInterfaceLookupByName')({ name }));
  }
  async lookupByMac(mac: string): Promise<Interface> {
    assertNonEmpty(mac, 'macstr', 'virInterfaceLookupByMACString');
    return this.wrap(await method(this.group, 'lookupInterface', 'virInterfaceLookupByMACString')({ mac }));
  }
  async define(xml: string, flags: number): Promise<Interface> {
    assertWritable(this.ctx.readOnly, 'virInterfaceDefineXML');
    // libvirt refuses only a NULL document here; an empty one reaches the driver's parser.
    if (typeof xml !== 'string') assertNonEmpty(xml, 'xml', 'virInterfaceDefineXML');
    return this.wrap(await method(this.group, 'defineInterface', 'virInterfaceDefineXML')(xml, flags));
  }
  async changeBegin(flags: number): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virInterfaceChangeBegin');
    return method(this.group, 'changeBegin', 'virInterfaceChangeBegin')(flags);
  }
  async changeCommit(flags: number): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virInterfaceChangeCommit');
    return method(this.group, 'changeCommit', 'virInterfaceChangeCommit')(flags);
  }
  async changeRollback(flags: number): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virInterfaceChangeRollback');
    return method(this.group, 'changeRollback', 'virInterfaceChangeRollback')(flags);
  }
}

const stateFlag = (active: boolean): number => (active ? ListInterfacesFlags.ACTIVE : ListInterfacesFlags.INACTIVE);
