/**
 * The synthetic population every department seeds from: persons in households, and the marriages between
 * them. It is a pure function of its size, so public security, civil affairs and the others each build the
 * same people without reading each other's databases.
 */
import { idNumberCheckCharacter } from '../identifiers/id-number';
import { addDays, addYears, dayFromReference, daysBeforeReference, isAfterReference } from './calendar';
import { ETHNICITIES, mobilePhone, personName } from './names';
import { Random } from './random';
import { DISTRICTS, districtFullName, type District } from './regions';

export type Gender = 'MALE' | 'FEMALE';
export type HouseholdRelation = '户主' | '配偶' | '子' | '女';

export interface SyntheticPerson {
  idNumber: string;
  name: string;
  gender: Gender;
  birthDate: string;
  ethnicity: string;
  phone: string;
  regionCode: string;
  address: string;
  householdNumber: string;
  householdHead: string;
  relation: HouseholdRelation;
  status: 'NORMAL' | 'MOVED_OUT';
}

export interface SyntheticMarriage {
  certificateNumber: string;
  kind: 'MARRIAGE' | 'DIVORCE';
  husband: string;
  wife: string;
  registeredOn: string;
  office: string;
  regionCode: string;
}

export interface Population {
  persons: SyntheticPerson[];
  marriages: SyntheticMarriage[];
}

/** Minimum marriage ages of the Civil Code, art. 1047. */
const MARRIAGE_AGE: Record<Gender, number> = { MALE: 22, FEMALE: 20 };

class PopulationBuilder {
  readonly persons: SyntheticPerson[] = [];
  readonly marriages: SyntheticMarriage[] = [];
  private readonly usedIds = new Set<string>();
  private households = 0;
  private certificates = 0;

  constructor(private readonly random: Random, private readonly size: number) {}

  get full(): boolean {
    return this.persons.length >= this.size;
  }

  build(): Population {
    while (!this.full) this.household();
    return { persons: this.persons, marriages: this.marriages };
  }

  private household(): void {
    const random = this.random;
    const district = random.pick(DISTRICTS);
    const home = this.newHome(district);
    const headGender: Gender = random.chance(0.5) ? 'MALE' : 'FEMALE';
    const head = this.addPerson(district, home, headGender, dayFromReference(-random.int(20 * 365, 88 * 365)), '户主');
    head.householdHead = head.idNumber;
    if (this.full || !random.chance(0.62)) return;

    const spouseGender: Gender = headGender === 'MALE' ? 'FEMALE' : 'MALE';
    const gapYears = headGender === 'MALE' ? random.int(-2, 6) : -random.int(-2, 6);
    const spouseBirth = addDays(head.birthDate, gapYears * 365 + random.int(0, 200));
    const [husbandBirth, wifeBirth] = headGender === 'MALE' ? [head.birthDate, spouseBirth] : [spouseBirth, head.birthDate];
    const eligible = [addYears(husbandBirth, MARRIAGE_AGE.MALE), addYears(wifeBirth, MARRIAGE_AGE.FEMALE)].sort()[1]!;
    const marriedOn = addDays(eligible, random.int(0, 8 * 365));
    if (isAfterReference(marriedOn) || isAfterReference(spouseBirth)) return;

    const divorced = random.chance(0.09) && daysBeforeReference(marriedOn) > 400;
    const spouseHome = divorced ? this.newHome(district) : home;
    const spouse = this.addPerson(district, spouseHome, spouseGender, spouseBirth, divorced ? '户主' : '配偶');
    spouse.householdHead = divorced ? spouse.idNumber : head.idNumber;
    const [husband, wife] = headGender === 'MALE' ? [head, spouse] : [spouse, head];
    this.register('MARRIAGE', husband, wife, marriedOn, district);
    if (divorced) {
      const divorcedOn = addDays(marriedOn, random.int(365, daysBeforeReference(marriedOn)));
      this.register('DIVORCE', husband, wife, divorcedOn, district);
      return;
    }

    const children = random.weighted([[0, 3], [1, 5], [2, 2]] as const);
    for (let i = 0; i < children && !this.full; i++) {
      const born = addDays(marriedOn, random.int(300, 12 * 365));
      if (isAfterReference(born)) break;
      const gender: Gender = random.chance(0.51) ? 'MALE' : 'FEMALE';
      const child = this.addPerson(district, home, gender, born, gender === 'MALE' ? '子' : '女');
      child.householdHead = head.idNumber;
    }
  }

  private newHome(district: District): { address: string; householdNumber: string } {
    const random = this.random;
    this.households += 1;
    const street = random.pick(district.streets);
    const address =
      `${districtFullName(district)}${street}${random.int(1, 999)}号` +
      `${random.int(1, 30)}栋${random.int(1, 4)}单元${random.int(1, 32)}0${random.int(1, 8)}室`;
    return { address, householdNumber: `${district.code}${String(this.households).padStart(9, '0')}` };
  }

  private addPerson(
    district: District,
    home: { address: string; householdNumber: string },
    gender: Gender,
    birthDate: string,
    relation: HouseholdRelation,
  ): SyntheticPerson {
    const random = this.random;
    const person: SyntheticPerson = {
      idNumber: this.newIdNumber(district.code, birthDate, gender),
      name: personName(random, gender),
      gender,
      birthDate,
      ethnicity: random.weighted(ETHNICITIES),
      phone: mobilePhone(random),
      regionCode: district.code,
      address: home.address,
      householdNumber: home.householdNumber,
      householdHead: '',
      relation,
      status: random.chance(0.02) ? 'MOVED_OUT' : 'NORMAL',
    };
    this.persons.push(person);
    return person;
  }

  /** GB 11643: the sequence's last digit is odd for men, even for women; retried until unused. */
  private newIdNumber(regionCode: string, birthDate: string, gender: Gender): string {
    const prefix = regionCode + birthDate.replaceAll('-', '');
    for (;;) {
      const sequence = this.random.int(0, 499) * 2 + (gender === 'MALE' ? 1 : 0);
      const first17 = prefix + String(sequence).padStart(3, '0');
      if (this.usedIds.has(first17)) continue;
      this.usedIds.add(first17);
      return first17 + idNumberCheckCharacter(first17);
    }
  }

  private register(kind: SyntheticMarriage['kind'], husband: SyntheticPerson, wife: SyntheticPerson, on: string, district: District): void {
    this.certificates += 1;
    const letter = kind === 'MARRIAGE' ? 'J' : 'L';
    this.marriages.push({
      certificateNumber: `${letter}${district.code}-${on.slice(0, 4)}-${String(this.certificates).padStart(7, '0')}`,
      kind,
      husband: husband.idNumber,
      wife: wife.idNumber,
      registeredOn: on,
      office: `${district.city}${district.name}民政局婚姻登记处`,
      regionCode: district.code,
    });
  }
}

export function buildPopulation(size: number, seed = 11643): Population {
  return new PopulationBuilder(new Random(seed), size).build();
}

/** Age in whole years on the reference day. */
export function ageOnReference(birthDate: string): number {
  return Math.floor(daysBeforeReference(birthDate) / 365.25);
}
