// The run's storage on one DynamoDB table, as small repositories: history rows (days), account
// state, alert claims, runs with their plans and checkpoints, recorded outcomes, and the key-value state sources keep
// between runs. Every read is parsed (record-schemas.ts). DynamoStore gathers them behind the one
// object the run, the CLI and the tests are given.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertsRepository } from './alerts-repository.ts';
import { DaysRepository } from './days-repository.ts';
import { KeyValueRepository } from './kv-repository.ts';
import { OutcomesRepository } from './outcomes-repository.ts';
import { RunsRepository } from './runs-repository.ts';
import { StatesRepository } from './states-repository.ts';
import { Table } from './table.ts';

export interface StoreOptions {
  tableName: string;
  /** Days of history kept before TTL removes it (the method asks for at least 400). */
  retentionDays?: number;
}

export class DynamoStore {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly retentionDays: number;
  readonly days: DaysRepository;
  readonly states: StatesRepository;
  readonly alertClaims: AlertsRepository;
  readonly runs: RunsRepository;
  readonly outcomeRecords: OutcomesRepository;
  /** Key-value state for sources (cursors, aggregates), under pk KV#<key>. */
  readonly kv: KeyValueRepository;

  // The repositories' methods, under the names the run has always called them by.
  readonly putDays: DaysRepository['putDays'];
  readonly getDays: DaysRepository['getDays'];
  readonly history: DaysRepository['history'];
  readonly historyMany: DaysRepository['historyMany'];
  readonly allDays: DaysRepository['allDays'];
  readonly getStates: StatesRepository['getStates'];
  readonly putStates: StatesRepository['putStates'];
  readonly claimAlert: AlertsRepository['claimAlert'];
  readonly releaseAlert: AlertsRepository['releaseAlert'];
  readonly alerts: AlertsRepository['alerts'];
  readonly saveRun: RunsRepository['saveRun'];
  readonly getRun: RunsRepository['getRun'];
  readonly savePlan: RunsRepository['savePlan'];
  readonly loadBatch: RunsRepository['loadBatch'];
  readonly planBatches: RunsRepository['planBatches'];
  readonly markBatchDone: RunsRepository['markBatchDone'];
  readonly batchSummaries: RunsRepository['batchSummaries'];
  readonly putOutcomes: OutcomesRepository['putOutcomes'];
  readonly outcomes: OutcomesRepository['outcomes'];
  readonly allOutcomes: OutcomesRepository['allOutcomes'];

  constructor(client: DynamoDBClient, options: StoreOptions) {
    const table = new Table(client, options.tableName);
    this.doc = table.doc;
    this.table = table.name;
    this.retentionDays = options.retentionDays ?? 400;
    this.days = new DaysRepository(table, this.retentionDays);
    this.states = new StatesRepository(table);
    this.alertClaims = new AlertsRepository(table, this.retentionDays);
    this.runs = new RunsRepository(table);
    this.kv = new KeyValueRepository(table);
    this.outcomeRecords = new OutcomesRepository(table, this.retentionDays);
    this.putDays = this.days.putDays.bind(this.days);
    this.getDays = this.days.getDays.bind(this.days);
    this.history = this.days.history.bind(this.days);
    this.historyMany = this.days.historyMany.bind(this.days);
    this.allDays = this.days.allDays.bind(this.days);
    this.getStates = this.states.getStates.bind(this.states);
    this.putStates = this.states.putStates.bind(this.states);
    this.claimAlert = this.alertClaims.claimAlert.bind(this.alertClaims);
    this.releaseAlert = this.alertClaims.releaseAlert.bind(this.alertClaims);
    this.alerts = this.alertClaims.alerts.bind(this.alertClaims);
    this.saveRun = this.runs.saveRun.bind(this.runs);
    this.getRun = this.runs.getRun.bind(this.runs);
    this.savePlan = this.runs.savePlan.bind(this.runs);
    this.loadBatch = this.runs.loadBatch.bind(this.runs);
    this.planBatches = this.runs.planBatches.bind(this.runs);
    this.markBatchDone = this.runs.markBatchDone.bind(this.runs);
    this.batchSummaries = this.runs.batchSummaries.bind(this.runs);
    this.putOutcomes = this.outcomeRecords.putOutcomes.bind(this.outcomeRecords);
    this.outcomes = this.outcomeRecords.outcomes.bind(this.outcomeRecords);
    this.allOutcomes = this.outcomeRecords.allOutcomes.bind(this.outcomeRecords);
  }
}
