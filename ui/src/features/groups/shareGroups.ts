/** Why a share group's lag is not shown (the list, the detail and the reset preview say the same). */
export const SHARE_LAG_TIP =
  "A share group's lag also counts records delivered past its start offset; Kafka reports it only in a newer DescribeShareGroupOffsets version than KafkaDesk's protocol library speaks, so it is not guessed.";
